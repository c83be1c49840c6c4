export { identityHeaders, principalOf, roles } from './identity.js';
export type { Identity, Role, Scopes } from './identity.js';
export {
  defaultSignatureMaxAgeMs,
  encodeHeaderText,
  identitySignatureHeader,
  signForwardedRequest,
  verifyForwardedRequest,
} from './forwarded-identity.js';
export type { ForwardedIdentity, SignatureCheck } from './forwarded-identity.js';
export { ensureAdminUser, adminUsername } from './admin-user.js';
export { apiKeyPrefix, generateApiKey, hashApiKeySecret, parseApiKey } from './api-key-format.js';
export type { ApiKeyParts } from './api-key-format.js';
export {
  checkApiKey,
  createApiKey,
  findApiKeyById,
  findApiKeyIdentity,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from './api-key-store.js';
export type { ApiKey, ApiKeyCheck, CreatedApiKey, NewApiKey } from './api-key-store.js';
export { createApiKeyUsageTracker } from './api-key-usage.js';
export type { ApiKeyUsageTracker, ApiKeyUsageTrackerOptions } from './api-key-usage.js';
export {
  hashPassword,
  maxPasswordLength,
  passwordHashParameters,
  verifyPassword,
} from './password-hashing.js';
export type { PasswordCheck } from './password-hashing.js';
export { checkScopes, scopesSchema } from './scopes-schema.js';
export {
  createUser,
  deleteUser,
  findUserById,
  findUserForLogin,
  listUsers,
  minPasswordLength,
  replacePasswordHash,
  revokeUserTokens,
  updateUser,
} from './user-store.js';
export { identityChangesChannel, parseIdentityChange } from './identity-changes.js';
export type { IdentityChange } from './identity-changes.js';
export type { NewUser, User, UserChanges, UserForLogin } from './user-store.js';
