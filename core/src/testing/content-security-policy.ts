/** A Content-Security-Policy header as directive → its sources joined by a space, whatever the order. */
export function parseContentSecurityPolicy(header: string | null | undefined): Record<string, string> {
  if (!header) throw new Error('no Content-Security-Policy header');
  return Object.fromEntries(
    header
      .split(';')
      .map((directive) => directive.trim())
      .filter((directive) => directive !== '')
      .map((directive) => {
        const [name = '', ...sources] = directive.split(/\s+/);
        return [name.toLowerCase(), sources.join(' ')];
      }),
  );
}
