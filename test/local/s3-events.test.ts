import fc from 'fast-check';
import { decodeEventKey, encodeEventKey, nextSequencer, s3EventFor } from '../../local/s3-events';

describe('S3 notification events as real S3 shapes them', () => {
  it('URL-encodes keys: space as +, non-ASCII percent-encoded, slashes kept', () => {
    expect(encodeEventKey('incoming/2020/a b/报告(1).txt')).toBe('incoming/2020/a+b/%E6%8A%A5%E5%91%8A%281%29.txt');
    expect(encodeEventKey('incoming/a+b.txt')).toBe('incoming/a%2Bb.txt');
  });

  it('decodes back to the same key for any key', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => decodeEventKey(encodeEventKey(key)) === key));
  });

  it('gives later writes larger sequencers (same width, so string order works)', () => {
    const seen = Array.from({ length: 50 }, () => nextSequencer());
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].length).toBe(seen[i - 1].length);
      expect(seen[i] > seen[i - 1]).toBe(true);
    }
  });

  it('builds one record with bucket, encoded key, size, eTag and sequencer', () => {
    const event = s3EventFor(
      { eventName: 'ObjectCreated:Post', bucket: 'b', key: 'incoming/x y.txt', size: 12, eTag: 'abc', sourceIp: '127.0.0.1' },
      'us-east-1',
    );
    expect(event.Records).toHaveLength(1);
    const r = event.Records[0];
    expect(r).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Post', awsRegion: 'us-east-1' });
    expect(r.s3.bucket).toMatchObject({ name: 'b', arn: 'arn:aws:s3:::b' });
    expect(r.s3.object).toMatchObject({ key: 'incoming/x+y.txt', size: 12, eTag: 'abc' });
    expect(r.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
  });
});
