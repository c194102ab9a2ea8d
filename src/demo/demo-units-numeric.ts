// Array and number helpers of the demo catalog (see demo-units.ts).
import { op, range } from './demo-units.js'
import type { UnitCategory } from './demo-units.js'

export const ARRAY_UNITS: UnitCategory<number[]> = {
  name: 'array',
  input: 'list',
  samples: [[3, 1, 4, 1, 5, 9, 2, 6], [], [10, -2, 7, 7, 0]],
  combine: {
    js: 'parts.flat()',
    run: (parts) => parts.flat(),
    describe: 'concatenated',
  },
  ops: [
    op({
      name: 'uniqueValues',
      describe: () => 'without repeated values (first occurrence kept)',
      body: () => 'return [...new Set(list)]',
      run: (list) => [...new Set(list)],
    }),
    op({
      name: 'sortAscending',
      describe: () => 'sorted from smallest to largest',
      body: () => 'return [...list].sort((a, b) => a - b)',
      run: (list) => [...list].sort((a, b) => a - b),
    }),
    op({
      name: 'sortDescending',
      describe: () => 'sorted from largest to smallest',
      body: () => 'return [...list].sort((a, b) => b - a)',
      run: (list) => [...list].sort((a, b) => b - a),
    }),
    op({
      name: 'reverseList',
      describe: () => 'in reverse order',
      body: () => 'return [...list].reverse()',
      run: (list) => [...list].reverse(),
    }),
    op({
      name: 'evenValues',
      describe: () => 'keeping the even values',
      body: () => 'return list.filter((value) => value % 2 === 0)',
      run: (list) => list.filter((value) => value % 2 === 0),
    }),
    op({
      name: 'oddValues',
      describe: () => 'keeping the odd values',
      body: () => 'return list.filter((value) => Math.abs(value % 2) === 1)',
      run: (list) => list.filter((value) => Math.abs(value % 2) === 1),
    }),
    op({
      name: 'runningTotals',
      describe: () => 'as running totals',
      body: () => ['let sum = 0', '  return list.map((value) => (sum += value))'].join('\n'),
      run: (list) => {
        let sum = 0
        return list.map((value) => (sum += value))
      },
    }),
    op({
      name: 'withoutZeros',
      describe: () => 'without zeros',
      body: () => 'return list.filter((value) => value !== 0)',
      run: (list) => list.filter((value) => value !== 0),
    }),
    op({
      name: 'dedupeRuns',
      describe: () => 'with runs of equal neighbours reduced to one',
      body: () => 'return list.filter((value, i) => i === 0 || value !== list[i - 1])',
      run: (list) => list.filter((value, i) => i === 0 || value !== list[i - 1]),
    }),
    op({
      name: 'takeFirst',
      params: range(2, 6),
      describe: (n) => `limited to its first ${n} values`,
      body: (n) => `return list.slice(0, ${n})`,
      run: (list, n) => list.slice(0, n),
    }),
    op({
      name: 'dropFirst',
      params: range(1, 5),
      describe: (n) => `without its first ${n} values`,
      body: (n) => `return list.slice(${n})`,
      run: (list, n) => list.slice(n),
    }),
    op({
      name: 'rotateBy',
      params: range(1, 5),
      describe: (n) => `rotated left by ${n} places`,
      body: (n) => `return list.map((_, i) => list[(i + ${n}) % list.length])`,
      run: (list, n) => list.map((_, i) => list[(i + n) % list.length]!),
    }),
    op({
      name: 'scaleBy',
      params: range(2, 5),
      describe: (n) => `with every value multiplied by ${n}`,
      body: (n) => `return list.map((value) => value * ${n})`,
      run: (list, n) => list.map((value) => value * n),
    }),
    op({
      name: 'offsetBy',
      params: range(1, 9),
      describe: (n) => `with ${n} added to every value`,
      body: (n) => `return list.map((value) => value + ${n})`,
      run: (list, n) => list.map((value) => value + n),
    }),
    op({
      name: 'everyNth',
      params: [2, 3],
      describe: (n) => `keeping every ${n}th value, starting with the first`,
      body: (n) => `return list.filter((_, i) => i % ${n} === 0)`,
      run: (list, n) => list.filter((_, i) => i % n === 0),
    }),
    op({
      name: 'capAt',
      params: range(3, 12),
      describe: (n) => `with values above ${n} lowered to ${n}`,
      body: (n) => `return list.map((value) => Math.min(value, ${n}))`,
      run: (list, n) => list.map((value) => Math.min(value, n)),
    }),
  ],
}

export const NUMBER_UNITS: UnitCategory<number> = {
  name: 'number',
  input: 'value',
  samples: [7, -3.5, 120],
  combine: {
    js: 'parts.reduce((sum, part) => sum + part, 0)',
    run: (parts) => parts.reduce((sum, part) => sum + part, 0),
    describe: 'added up',
  },
  ops: [
    op({
      name: 'halved',
      describe: () => 'divided by two',
      body: () => 'return value / 2',
      run: (value) => value / 2,
    }),
    op({
      name: 'negated',
      describe: () => 'with its sign flipped',
      body: () => 'return -value',
      run: (value) => -value,
    }),
    op({
      name: 'absolute',
      describe: () => 'without its sign',
      body: () => 'return Math.abs(value)',
      run: (value) => Math.abs(value),
    }),
    op({
      name: 'squared',
      describe: () => 'squared',
      body: () => 'return value * value',
      run: (value) => value * value,
    }),
    op({
      name: 'digitSum',
      describe: () => 'as the sum of the digits of its whole part',
      body: () =>
        "return [...String(Math.trunc(Math.abs(value))).replace(/\\D/g, '')].reduce((sum, digit) => sum + Number(digit), 0)",
      run: (value) =>
        [...String(Math.trunc(Math.abs(value))).replace(/\D/g, '')].reduce(
          (sum, digit) => sum + Number(digit),
          0,
        ),
    }),
    op({
      name: 'signOf',
      describe: () => 'as its sign (-1, 0 or 1)',
      body: () => 'return Math.sign(value)',
      run: (value) => Math.sign(value),
    }),
    op({
      name: 'plus',
      params: range(1, 9),
      describe: (n) => `plus ${n}`,
      body: (n) => `return value + ${n}`,
      run: (value, n) => value + n,
    }),
    op({
      name: 'minus',
      params: range(1, 9),
      describe: (n) => `minus ${n}`,
      body: (n) => `return value - ${n}`,
      run: (value, n) => value - n,
    }),
    op({
      name: 'times',
      params: range(2, 5),
      describe: (n) => `times ${n}`,
      body: (n) => `return value * ${n}`,
      run: (value, n) => value * n,
    }),
    op({
      name: 'roundTo',
      params: [0, 1, 2],
      describe: (n) => `rounded to ${n} decimal place(s)`,
      body: (n) => `return Math.round(value * ${10 ** n}) / ${10 ** n}`,
      run: (value, n) => Math.round(value * 10 ** n) / 10 ** n,
    }),
    op({
      name: 'clampMax',
      params: [10, 50, 100, 500, 1000],
      describe: (n) => `at most ${n}`,
      body: (n) => `return Math.min(value, ${n})`,
      run: (value, n) => Math.min(value, n),
    }),
    op({
      name: 'clampMin',
      params: [0, 1, 10],
      describe: (n) => `at least ${n}`,
      body: (n) => `return Math.max(value, ${n})`,
      run: (value, n) => Math.max(value, n),
    }),
    op({
      name: 'modulo',
      params: range(2, 9),
      describe: (n) => `modulo ${n} (never negative)`,
      body: (n) => `return ((value % ${n}) + ${n}) % ${n}`,
      run: (value, n) => ((value % n) + n) % n,
    }),
    op({
      name: 'percent',
      params: [5, 10, 15, 20, 25],
      describe: (n) => `as ${n}% of itself`,
      body: (n) => `return (value * ${n}) / 100`,
      run: (value, n) => (value * n) / 100,
    }),
    op({
      name: 'floorTo',
      params: [2, 5, 10, 25],
      describe: (n) => `rounded down to a multiple of ${n}`,
      body: (n) => `return Math.floor(value / ${n}) * ${n}`,
      run: (value, n) => Math.floor(value / n) * n,
    }),
  ],
}
