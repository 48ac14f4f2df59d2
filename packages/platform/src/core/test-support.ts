// The test kit's old address: tests import it from here until the lead rewrites their imports
// to core/test-kit.ts (or @cardport/platform/testing).
export * from './test-kit.ts';
