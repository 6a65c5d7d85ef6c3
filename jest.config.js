const GROUPS = require('./test/groups');

/** One jest project per test group (`npm run test:unit|test:integration|test:e2e`; `npm test` runs all). */
const project = (displayName, { folders, files = [], except = [] }) => ({
  displayName,
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: [...folders.map((f) => `<rootDir>/test/${f}/**/*.test.ts`), ...files.map((f) => `<rootDir>/${f}`)],
  testPathIgnorePatterns: ['/node_modules/', ...except.map((f) => `<rootDir>/${f}`)],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  // Starts the local emulators once, only when integration tests are part of the run.
  ...(displayName === 'integration' && {
    globalSetup: '<rootDir>/test/integration/global-setup.ts',
    globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
  }),
});

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: Object.entries(GROUPS).map(([name, group]) => project(name, group)),
  // `npm run test:unit` prints coverage of the code it exercises (--coverage turns it on).
  coverageProvider: 'v8',
  collectCoverageFrom: ['shared/**/*.ts', 'cli/**/*.ts', 'functions/**/*.ts'],
  coverageReporters: ['text-summary'],
};
