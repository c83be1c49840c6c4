export { createAuthRoutes } from './auth-routes.js';
export { authenticationVariables } from './authentication-config.js';
export { createAuthentication } from './create-authentication.js';
export type { Authentication, AuthenticationConfig } from './create-authentication.js';
export { ensureFirstAdmin } from './first-admin.js';
export type { FirstAdminOptions } from './first-admin.js';
export { createLoginService } from './login.js';
export type { LoginAttempt, LoginService, LoginServiceOptions } from './login.js';
export { addressSubject, createLoginThrottle, loginDelayMs, userSubject } from './login-throttle.js';
export type {
  AdmittedAttempt,
  LoginThrottle,
  LoginThrottleSettings,
  RefusedAttempt,
} from './login-throttle.js';
export { createRequestAuthenticator } from './request-authenticator.js';
export type { RequestAuthenticatorOptions } from './request-authenticator.js';
export { readCredential } from './request-credentials.js';
export type { PresentedCredential } from './request-credentials.js';
export { createTokenKeys } from './token-keys.js';
export type { TokenKeys, TokenKeySettings } from './token-keys.js';
export { createTokenService } from './token-service.js';
export type { IssuedToken, TokenService, TokenServiceOptions, VerifiedToken } from './token-service.js';
export { createApiKeyLookup } from './api-key-lookup.js';
export type { ApiKeyLookup } from './api-key-lookup.js';
export { createUserLookup } from './user-lookup.js';
export type { UserLookup, UserLookupOptions } from './user-lookup.js';
import './request-identity.js';
