/**
 * The organisation a GitHub profile's free-text company names (docs/METRICS.md "Identities": the GitHub
 * company comes before the e-mail domain). People write one employer many ways — `@microsoft` (GitHub's
 * mention of the organisation), `Microsoft`, `Microsoft Corporation`, `microsoft corp.` — and the elephant
 * factor must count them as one, so the text is folded to a key: trimmed, a leading `@` dropped,
 * case-folded, whitespace collapsed, trailing legal forms dropped. Texts that name no employer (`none`,
 * `n/a`, `freelance`, `self-employed`…) are no company at all: the person falls back to their e-mail domain.
 */

/** Legal forms dropped from the end, after a space or a comma: "Acme, Inc." and "Acme Inc" are "acme". */
const legalForms = [
  'inc',
  'incorporated',
  'llc',
  'l.l.c',
  'ltd',
  'limited',
  'gmbh',
  'corp',
  'corporation',
  'plc',
  'pty',
  's.a',
  'b.v',
  'ag',
];
const trailingLegalForm = new RegExp(
  `[\\s,]+(?:${legalForms.map((form) => form.replace(/\./g, '\\.')).join('|')})\\.?$`,
);

/** What people put in the field when they have no employer to name. */
const noCompany = new Set([
  'none',
  'no',
  'n/a',
  'na',
  'nil',
  'null',
  'self',
  'myself',
  'me',
  'personal',
  'private',
  'home',
  'freelance',
  'freelancer',
  'independent',
  'self-employed',
  'self employed',
  'selfemployed',
  'unemployed',
  'retired',
  'student',
]);

/** Only punctuation and symbols ("-", "—", "...", "?"): no name. */
const nothingButMarks = /^[\p{P}\p{S}\s]*$/u;

/**
 * The organisation key of a GitHub profile's company, or null when it names none (empty, `none`,
 * `freelance`…): the person then counts by their e-mail domain, else as an independent.
 */
export function organisationOfCompany(company: string | null | undefined): string | null {
  if (!company) return null;
  // NFKC first, so full-width letters and ligatures fold like their plain forms.
  let text = company.normalize('NFKC').trim().replace(/^@+/, '').toLowerCase().replace(/\s+/g, ' ').trim();
  for (;;) {
    const stripped = text.replace(trailingLegalForm, '').replace(/[\s,]+$/, '');
    // A company called only "Corp" keeps its name: stripping must leave something.
    if (stripped === text || stripped === '') break;
    text = stripped;
  }
  if (noCompany.has(text) || nothingButMarks.test(text)) return null;
  return text;
}
