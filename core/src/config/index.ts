export { ConfigError, loadConfigOrExit, readConfig } from './read-config.js';
export type { ConfigOf, ConfigSpec, VariableSpec } from './read-config.js';
export {
  byteSize,
  flag,
  integer,
  integerList,
  oneOf,
  optional,
  port,
  text,
  timeZone,
  url,
} from './parsers.js';
export { variables } from './variables.js';
