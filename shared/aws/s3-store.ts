/** FileStore on one S3 bucket: head/get/put of exact object versions and browser uploads by presigned POST. */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FileStore, PresignedPost, PutOptions, StoredObjectInfo } from '../cycle/ports';

const FILE_NAME_META = 'filename';

function isMissing(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NotFound' || err?.name === 'NoSuchKey' || err?.name === 'NoSuchVersion' || err?.$metadata?.httpStatusCode === 404;
}

function decodeFileName(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export class S3FileStore implements FileStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  private info(
    key: string,
    r: { ContentLength?: number; ETag?: string; VersionId?: string; LastModified?: Date; ContentType?: string; ContentDisposition?: string; Metadata?: Record<string, string> },
  ): StoredObjectInfo {
    return {
      key,
      size: r.ContentLength ?? 0,
      etag: r.ETag ?? null,
      versionId: r.VersionId && r.VersionId !== 'null' ? r.VersionId : null,
      lastModified: r.LastModified ?? new Date(0),
      contentType: r.ContentType ?? null,
      fileName: decodeFileName(r.Metadata?.[FILE_NAME_META]),
      contentDisposition: r.ContentDisposition ?? null,
    };
  }

  /** ListObjectsV2, every page: the latest version of each object (what the reconciliation sweep needs). */
  async list(prefix: string): Promise<StoredObjectInfo[]> {
    const out: StoredObjectInfo[] = [];
    let ContinuationToken: string | undefined;
    do {
      const r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }));
      for (const o of r.Contents ?? []) {
        if (!o.Key) continue;
        out.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? null, versionId: null, lastModified: o.LastModified ?? new Date(0), contentType: null, fileName: null });
      }
      ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return out;
  }

  async head(key: string, versionId?: string | null) {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId ?? undefined }));
      return this.info(key, r);
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async get(key: string, versionId?: string | null) {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId ?? undefined }));
      const bytes = r.Body ? await r.Body.transformToByteArray() : new Uint8Array();
      return { info: this.info(key, { ...r, ContentLength: r.ContentLength ?? bytes.length }), bytes };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async put(key: string, body: Uint8Array | string, contentType: string, options: PutOptions = {}) {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentDisposition: options.contentDisposition }),
    );
  }

  async presignPost(input: Parameters<FileStore['presignPost']>[0]): Promise<PresignedPost> {
    const fields: Record<string, string> = { 'Content-Type': input.contentType };
    // Object metadata must be ASCII: the office's (Chinese) file name travels percent-encoded.
    if (input.fileName) fields[`x-amz-meta-${FILE_NAME_META}`] = encodeURIComponent(input.fileName).slice(0, 1024);
    // Only issue-upload signs uploads: the other functions never load this package.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createPresignedPost } = require('@aws-sdk/s3-presigned-post') as typeof import('@aws-sdk/s3-presigned-post');
    const post = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: input.key,
      // Every field is an exact-match condition; the size is enforced by S3, not by the browser.
      Conditions: [['content-length-range', input.minBytes, input.maxBytes]],
      Fields: fields,
      Expires: input.expiresSeconds,
    });
    return { url: post.url, fields: post.fields, expiresAt: new Date(Date.now() + input.expiresSeconds * 1000).toISOString() };
  }
}
