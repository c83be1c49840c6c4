// The workspaces of the platform, in the order they start; shared by the test runner and the supervisor.
export const serviceModules = [
  'input-gateway',
  'integration-engine',
  'output-gateway',
  'permission-proxy',
  'cron',
  'admin-panel',
  'client-panel',
];
