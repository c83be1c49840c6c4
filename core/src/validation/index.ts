export { compileValidator } from './compile-validator.js';
export type { Validator } from './compile-validator.js';
