/** Dotted path into a webhook body → the JSON type the engine expects there. */
export type WebhookRequirements = Readonly<Record<string, 'string' | 'integer' | 'object' | 'array'>>;

const repository = { repository: 'object', 'repository.full_name': 'string' } as const;

/**
 * The event types the engine processes, and what it reads from each. These fields are required (422
 * when missing or of the wrong type) even when GitHub's published schema is relaxed for drift; every
 * other field is only type-checked when present. Keep this list to what the engine really needs: each
 * entry is a reason to refuse a delivery that GitHub will not send again.
 */
export const processedWebhookEvents = {
  push: { ...repository, ref: 'string', commits: 'array' },
  pull_request: { ...repository, action: 'string', number: 'integer', 'pull_request.number': 'integer' },
  pull_request_review: {
    ...repository,
    action: 'string',
    'pull_request.number': 'integer',
    review: 'object',
  },
  issues: { ...repository, action: 'string', 'issue.number': 'integer' },
  issue_comment: { ...repository, action: 'string', 'issue.number': 'integer', comment: 'object' },
  release: { ...repository, action: 'string', 'release.tag_name': 'string' },
  // The star is the sender's.
  star: { ...repository, action: 'string', 'sender.login': 'string' },
  watch: { ...repository, action: 'string', 'sender.login': 'string' },
  fork: { ...repository, 'forkee.full_name': 'string' },
  create: { ...repository, ref: 'string', ref_type: 'string' },
  delete: { ...repository, ref: 'string', ref_type: 'string' },
  repository: { ...repository, action: 'string' },
  member: { ...repository, action: 'string', 'member.login': 'string' },
  public: { ...repository },
} as const satisfies Record<string, WebhookRequirements>;

export type ProcessedWebhookEvent = keyof typeof processedWebhookEvents;
