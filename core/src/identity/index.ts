export { identityHeaders, principalOf, roles } from './identity.js';
export type { Identity, Role, Scopes } from './identity.js';
