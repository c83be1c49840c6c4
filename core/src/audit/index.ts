export { recordAudit } from './record-audit.js';
export type { AuditEntry } from './record-audit.js';
