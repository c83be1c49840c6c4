export * from './app-errors.js';
