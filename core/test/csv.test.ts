// Core's one CSV writer: the server's (`csvText`, `streamCsv`, used by the output gateway) and the browser's
// (`core/web/csv.ts`, used by the dashboards' exports), the same csv-stringify options in both.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { toCsv } from '../web/csv.js';
import { csvText, streamCsv, type CsvRow } from '../src/index.js';
import { waitFor } from '../src/testing/index.js';

/** Text cells a spreadsheet would run as formulas, each as it must be written. */
const formulas: Array<[string, string]> = [
  ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
  ['@SUM(1)', `"'@SUM(1)"`],
  ['+1', `"'+1"`],
  ['-1+1', `"'-1+1"`],
  ['\tcmd', `"'\tcmd"`],
  ['\r=1+1', `"'\r=1+1"`],
  ['＝1+1', `"'＝1+1"`],
];

const writers = {
  'the server writer': async (header: readonly string[], rows: ReadonlyArray<CsvRow>) =>
    csvText([header, ...rows]),
  'the browser exporter': toCsv,
};

for (const [writer, write] of Object.entries(writers)) {
  describe(`CSV: ${writer}`, () => {
    test('writes RFC 4180 as the API does: header first, CRLF, quoted only when needed, quotes doubled', async () => {
      assert.equal(
        await write(
          ['repository', 'note', 'stars'],
          [
            ['acme/rockets', 'says "hi", twice', 120],
            ['globex/radar', null, 0],
            ['x/y', 'line\nbreak', undefined],
            ['r/s', 'carriage\rreturn', 1.5],
          ],
        ),
        'repository,note,stars\r\nacme/rockets,"says ""hi"", twice",120\r\nglobex/radar,,0\r\n' +
          'x/y,"line\nbreak",\r\nr/s,"carriage\rreturn",1.5\r\n',
      );
    });

    test('writes booleans as true and false and instants in RFC 3339, as the JSON answers do', async () => {
      assert.equal(
        await write(
          ['archived', 'at'],
          [
            [false, new Date('2024-03-01T10:00:00Z')],
            [true, null],
          ],
        ),
        'archived,at\r\nfalse,2024-03-01T10:00:00.000Z\r\ntrue,\r\n',
      );
    });

    test('writes text that starts like a formula with a leading apostrophe, quoted', async () => {
      const text = await write(
        ['description'],
        formulas.map(([value]) => [value]),
      );
      assert.equal(text, `description\r\n${formulas.map(([, cell]) => `${cell}\r\n`).join('')}`);
    });

    test('leaves numbers as numbers, negative ones too, and a sign inside text as it is', async () => {
      assert.equal(
        await write(
          ['change', 'as text', 'formula inside'],
          [
            [-3, '-3', 'a=b+c'],
            [-0.5, '3-1', 'x@y'],
          ],
        ),
        `change,as text,formula inside\r\n-3,"'-3",a=b+c\r\n-0.5,3-1,x@y\r\n`,
      );
    });
  });
}

/** A destination that takes one chunk at a time: each write completes only when `release` is called. */
function slowDestination() {
  const chunks: string[] = [];
  const pending: Array<() => void> = [];
  const destination = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      pending.push(() => callback());
    },
  });
  return { destination, chunks, pending };
}

describe('CSV: streaming pages to a response', () => {
  test('reads the next page only once the destination has taken the ones before', async () => {
    const { destination, chunks, pending } = slowDestination();
    const pageCount = 20;
    const writtenWhenRead: number[] = [];
    async function* pages() {
      for (let page = 0; page < pageCount; page++) {
        writtenWhenRead.push(chunks.length - pending.length);
        yield [[`page ${page}`, page]];
      }
    }
    const done = streamCsv(destination, ['name', 'number'], pages());
    let released = 0;
    while (released < pageCount + 1) {
      await waitFor(() => pending.length > 0, { what: 'a chunk written' });
      pending.shift()!();
      released++;
    }
    await done;
    assert.equal(
      chunks.join(''),
      `name,number\r\n${[...Array(pageCount).keys()].map((page) => `page ${page},${page}\r\n`).join('')}`,
    );
    // Page n is read when the destination has finished at least n - 1 chunks (the header is the first):
    // one page waits in the stream, one in the destination, none piles up.
    writtenWhenRead.forEach((written, page) =>
      assert.ok(written >= page - 1, `page ${page} read after ${written}`),
    );
  });

  test('stops reading pages when the destination closes early, and resolves', async () => {
    const { destination, pending } = slowDestination();
    let read = 0;
    let returned = false;
    async function* pages() {
      try {
        for (;;) {
          read++;
          yield [['row', read]];
        }
      } finally {
        returned = true;
      }
    }
    const done = streamCsv(destination, ['name', 'number'], pages());
    await waitFor(() => pending.length > 0, { what: 'the header written' });
    destination.destroy();
    await done;
    await waitFor(() => returned, { what: 'the pages returned' });
    assert.ok(read < 5, `read ${read} pages`);
  });
});
