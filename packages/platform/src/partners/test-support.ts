// The test harness's old address: tests import it from here until the lead rewrites their
// imports to @cardport/platform/testing (src/testing/index.ts).
export * from '../testing/index.ts';
