import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { organisationOfCompany } from '../src/people/github-company.js';

describe('the organisation a GitHub profile company names', () => {
  test('one employer written many ways is one organisation', () => {
    for (const company of [
      'Acme',
      'acme',
      '@acme',
      '@Acme Inc.',
      'Acme, Inc.',
      'ACME INC',
      '  Acme   Inc  ',
      'Acme LLC',
      'Acme Ltd',
      'Acme Ltd.',
      'Acme GmbH',
      'Acme Corp',
      'Acme Corp.',
      'Acme Corporation',
      'Acme Pty Ltd',
      'Ａｃｍｅ',
    ])
      assert.equal(organisationOfCompany(company), 'acme', company);
  });

  test('keeps the words of a longer name, whitespace collapsed', () => {
    assert.equal(organisationOfCompany('Red   Hat,\tInc.'), 'red hat');
    assert.equal(organisationOfCompany('@Microsoft Research'), 'microsoft research');
    assert.equal(organisationOfCompany('Initech.com'), 'initech.com');
  });

  test('drops a legal form only as a word of its own at the end', () => {
    assert.equal(organisationOfCompany('Incubate'), 'incubate');
    assert.equal(organisationOfCompany('Zinc'), 'zinc');
    assert.equal(organisationOfCompany('Corp Labs'), 'corp labs');
    // A company called only by a legal form keeps it: there would be nothing left.
    assert.equal(organisationOfCompany('Corp'), 'corp');
  });

  test('names no company when empty, a placeholder, or self-employment', () => {
    for (const company of [
      null,
      undefined,
      '',
      '   ',
      '@',
      '-',
      '—',
      '...',
      'none',
      'None',
      'N/A',
      'n/a',
      'self',
      'Self-employed',
      'self employed',
      'Freelance',
      'freelancer',
      'Independent',
      '@independent',
    ])
      assert.equal(organisationOfCompany(company), null, String(company));
  });
});
