export { compileValidator } from './compile-validator.js';
export type { Validator } from './compile-validator.js';
export {
  checkInstant,
  earliestInstant,
  instantKeyword,
  instantProfileMessage,
  instantRule,
  instantWindowMessage,
  isStorableInstant,
  latestInstantAheadMs,
} from './storable-instant.js';
export {
  int4,
  jsonInt8,
  storableTextMessage,
  storableTextPattern,
  toStorableText,
} from './storable-values.js';
