// String and date helpers of the demo catalog (see demo-units.ts).
import { op, range } from './demo-units.js'
import type { UnitCategory } from './demo-units.js'

const DAY_MS = 86_400_000
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const weekday = (day: string): number => (new Date(day).getUTCDay() + 6) % 7
const ymd = (day: string): [number, number, number] => [
  Number(day.slice(0, 4)),
  Number(day.slice(5, 7)),
  Number(day.slice(8, 10)),
]
const addMonths = (day: string, months: number): string => {
  const [y, m, d] = ymd(day)
  return isoDay(Math.min(Date.UTC(y, m - 1 + months, d), Date.UTC(y, m + months, 0)))
}

export const STRING_UNITS: UnitCategory<string> = {
  name: 'string',
  input: 'text',
  samples: ['Hello, World!', '  the quick  brown fox ', 'Route 66 & more'],
  combine: {
    js: "parts.join(' ')",
    run: (parts) => parts.join(' '),
    describe: 'joined by a space',
  },
  ops: [
    op({
      name: 'upperCase',
      describe: () => 'upper case',
      body: () => 'return text.toUpperCase()',
      run: (text) => text.toUpperCase(),
    }),
    op({
      name: 'lowerCase',
      describe: () => 'lower case',
      body: () => 'return text.toLowerCase()',
      run: (text) => text.toLowerCase(),
    }),
    op({
      name: 'trimmed',
      describe: () => 'without leading and trailing spaces',
      body: () => 'return text.trim()',
      run: (text) => text.trim(),
    }),
    op({
      name: 'collapseSpaces',
      describe: () => 'with every run of spaces reduced to one',
      body: () => "return text.replace(/\\s+/g, ' ')",
      run: (text) => text.replace(/\s+/g, ' '),
    }),
    op({
      name: 'reversed',
      describe: () => 'with its characters in reverse order',
      body: () => "return [...text].reverse().join('')",
      run: (text) => [...text].reverse().join(''),
    }),
    op({
      name: 'capitalizeWords',
      describe: () => 'with the first letter of every word in upper case',
      body: () => 'return text.replace(/\\b\\w/g, (letter) => letter.toUpperCase())',
      run: (text) => text.replace(/\b\w/g, (letter) => letter.toUpperCase()),
    }),
    op({
      name: 'kebabCase',
      describe: () => 'as lower-case words joined by "-"',
      body: () => "return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join('-')",
      run: (text) =>
        text
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter(Boolean)
          .join('-'),
    }),
    op({
      name: 'snakeCase',
      describe: () => 'as lower-case words joined by "_"',
      body: () => "return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join('_')",
      run: (text) =>
        text
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter(Boolean)
          .join('_'),
    }),
    op({
      name: 'removeVowels',
      describe: () => 'without vowels',
      body: () => "return text.replace(/[aeiou]/gi, '')",
      run: (text) => text.replace(/[aeiou]/gi, ''),
    }),
    op({
      name: 'swapCase',
      describe: () => 'with upper and lower case swapped',
      body: () =>
        "return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')",
      run: (text) =>
        [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
    }),
    op({
      name: 'stripDigits',
      describe: () => 'without digits',
      body: () => "return text.replace(/\\d/g, '')",
      run: (text) => text.replace(/\d/g, ''),
    }),
    op({
      name: 'padStart',
      params: range(8, 24, 2),
      describe: (n) => `padded with "." at the start to ${n} characters`,
      body: (n) => `return text.padStart(${n}, '.')`,
      run: (text, n) => text.padStart(n, '.'),
    }),
    op({
      name: 'padEnd',
      params: range(8, 24, 2),
      describe: (n) => `padded with "." at the end to ${n} characters`,
      body: (n) => `return text.padEnd(${n}, '.')`,
      run: (text, n) => text.padEnd(n, '.'),
    }),
    op({
      name: 'truncate',
      params: range(4, 16),
      describe: (n) => `cut to at most ${n} characters, ending in "…" when cut`,
      body: (n) => `return text.length <= ${n} ? text : \`\${text.slice(0, ${n - 1})}…\``,
      run: (text, n) => (text.length <= n ? text : `${text.slice(0, n - 1)}…`),
    }),
    op({
      name: 'caesar',
      params: range(1, 13),
      describe: (n) => `with every letter shifted ${n} places in the alphabet`,
      body: (n) =>
        [
          'return text.replace(/[a-z]/gi, (letter) => {',
          "    const base = letter <= 'Z' ? 65 : 97",
          `    return String.fromCharCode(((letter.charCodeAt(0) - base + ${n}) % 26) + base)`,
          '  })',
        ].join('\n'),
      run: (text, n) =>
        text.replace(/[a-z]/gi, (letter) => {
          const base = letter <= 'Z' ? 65 : 97
          return String.fromCharCode(((letter.charCodeAt(0) - base + n) % 26) + base)
        }),
    }),
    op({
      name: 'firstWords',
      params: range(1, 4),
      describe: (n) => `reduced to its first ${n} word(s)`,
      body: (n) => `return text.trim().split(/\\s+/).slice(0, ${n}).join(' ')`,
      run: (text, n) => text.trim().split(/\s+/).slice(0, n).join(' '),
    }),
    op({
      name: 'lastChars',
      params: range(2, 8),
      describe: (n) => `reduced to its last ${n} characters`,
      body: (n) => `return text.slice(-${n})`,
      run: (text, n) => text.slice(-n),
    }),
  ],
}

const dateBody = (...lines: string[]): string => lines.join('\n  ')

export const DATE_UNITS: UnitCategory<string> = {
  name: 'date',
  input: 'day',
  samples: ['2024-02-29', '2023-12-31', '2025-06-15'],
  combine: {
    js: 'parts.sort().at(-1)',
    run: (parts) => [...parts].sort().at(-1)!,
    describe: 'the latest of them',
  },
  ops: [
    op({
      name: 'startOfMonth',
      describe: () => 'moved to the first day of its month',
      body: () => 'return `${day.slice(0, 8)}01`',
      run: (day) => `${day.slice(0, 8)}01`,
    }),
    op({
      name: 'endOfMonth',
      describe: () => 'moved to the last day of its month',
      body: () =>
        'return new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).toISOString().slice(0, 10)',
      run: (day) => isoDay(Date.UTC(ymd(day)[0], ymd(day)[1], 0)),
    }),
    op({
      name: 'startOfYear',
      describe: () => 'moved to the first day of its year',
      body: () => 'return `${day.slice(0, 4)}-01-01`',
      run: (day) => `${day.slice(0, 4)}-01-01`,
    }),
    op({
      name: 'endOfYear',
      describe: () => 'moved to the last day of its year',
      body: () => 'return `${day.slice(0, 4)}-12-31`',
      run: (day) => `${day.slice(0, 4)}-12-31`,
    }),
    op({
      name: 'startOfWeek',
      describe: () => 'moved back to the Monday of its week',
      body: () =>
        dateBody(
          'const back = (new Date(day).getUTCDay() + 6) % 7',
          `return new Date(Date.parse(day) - back * ${DAY_MS}).toISOString().slice(0, 10)`,
        ),
      run: (day) => isoDay(Date.parse(day) - weekday(day) * DAY_MS),
    }),
    op({
      name: 'nextMonday',
      describe: () => 'moved forward to the next Monday',
      body: () =>
        dateBody(
          'const ahead = 7 - ((new Date(day).getUTCDay() + 6) % 7)',
          `return new Date(Date.parse(day) + ahead * ${DAY_MS}).toISOString().slice(0, 10)`,
        ),
      run: (day) => isoDay(Date.parse(day) + (7 - weekday(day)) * DAY_MS),
    }),
    op({
      name: 'startOfQuarter',
      describe: () => 'moved to the first day of its quarter',
      body: () =>
        dateBody(
          'const month = Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1',
          "return `${day.slice(0, 4)}-${String(month).padStart(2, '0')}-01`",
        ),
      run: (day) =>
        `${day.slice(0, 4)}-${String(Math.floor((ymd(day)[1] - 1) / 3) * 3 + 1).padStart(2, '0')}-01`,
    }),
    op({
      name: 'addDays',
      params: range(1, 14),
      describe: (n) => `${n} day(s) later`,
      body: (n) => `return new Date(Date.parse(day) + ${n} * ${DAY_MS}).toISOString().slice(0, 10)`,
      run: (day, n) => isoDay(Date.parse(day) + n * DAY_MS),
    }),
    op({
      name: 'subtractDays',
      params: range(1, 14),
      describe: (n) => `${n} day(s) earlier`,
      body: (n) => `return new Date(Date.parse(day) - ${n} * ${DAY_MS}).toISOString().slice(0, 10)`,
      run: (day, n) => isoDay(Date.parse(day) - n * DAY_MS),
    }),
    op({
      name: 'addWeeks',
      params: range(1, 4),
      describe: (n) => `${n} week(s) later`,
      body: (n) =>
        `return new Date(Date.parse(day) + ${n * 7} * ${DAY_MS}).toISOString().slice(0, 10)`,
      run: (day, n) => isoDay(Date.parse(day) + n * 7 * DAY_MS),
    }),
    op({
      name: 'addMonths',
      params: range(1, 6),
      describe: (n) => `${n} month(s) later, kept inside the target month`,
      body: (n) =>
        dateBody(
          'const [y, m, d] = [day.slice(0, 4), day.slice(5, 7), day.slice(8, 10)].map(Number)',
          `const ms = Math.min(Date.UTC(y, m - 1 + ${n}, d), Date.UTC(y, m + ${n}, 0))`,
          'return new Date(ms).toISOString().slice(0, 10)',
        ),
      run: (day, n) => addMonths(day, n),
    }),
    op({
      name: 'addYears',
      params: range(1, 3),
      describe: (n) => `${n} year(s) later (29 February becomes 28 February)`,
      body: (n) =>
        dateBody(
          'const [y, m, d] = [day.slice(0, 4), day.slice(5, 7), day.slice(8, 10)].map(Number)',
          `const ms = Math.min(Date.UTC(y + ${n}, m - 1, d), Date.UTC(y + ${n}, m, 0))`,
          'return new Date(ms).toISOString().slice(0, 10)',
        ),
      run: (day, n) => addMonths(day, 12 * n),
    }),
  ],
}
