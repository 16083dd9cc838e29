export * from '../../src/workspace/emulator.ts';
