import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import { extractFromInterval, extractFromTimestamp } from '../../../common/time/extract.js';
import {
  addIntervalToTimestamp,
  ageOf,
  compareIntervals,
  divideInterval,
  formatInterval,
  type Interval,
  IntervalField,
  justifyHours,
  justifyInterval,
  multiplyInterval,
  nanosWordsToMicros,
  parseInterval,
  setIntervalWords,
  subtractTimestamps,
} from '../../../common/time/interval.js';
import { parseTimestampLocal, parseTimestamptz } from '../../../common/time/timestamp-text.js';
import { sessionZone } from '../../../common/time/zone.js';

const text = (iv: Interval): string => formatInterval(iv.months, iv.days, iv.micros);
const parsed = (s: string, mask?: number): string => text(parseInterval(s, mask));
const us = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;
const HOUR = 3_600_000_000;

describe('interval text', () => {
  it('prints like PostgreSQL (IntervalStyle postgres)', () => {
    expect(formatInterval(14, 3, 4 * HOUR + 5 * 60e6 + 6.5e6)).toBe('1 year 2 mons 3 days 04:05:06.5');
    expect(formatInterval(0, -1, 2 * HOUR)).toBe('-1 days +02:00:00');
    expect(formatInterval(0, 1, -2 * HOUR)).toBe('1 day -02:00:00');
    expect(formatInterval(-14, 0, 0)).toBe('-1 years -2 mons');
    expect(formatInterval(0, 0, 0)).toBe('00:00:00');
    expect(formatInterval(0, 0, 100 * HOUR)).toBe('100:00:00');
    expect(formatInterval(0, 0, 1)).toBe('00:00:00.000001');
    expect(formatInterval(0, 0, -90 * 60e6)).toBe('-01:30:00');
  });

  it('reads units, fractions, h:m:s, year-month, ISO 8601 and ago', () => {
    expect(parsed('1 year 2 mons 3 days 04:05:06.5')).toBe('1 year 2 mons 3 days 04:05:06.5');
    expect(parsed('1.5 days')).toBe('1 day 12:00:00');
    expect(parsed('1.5 months')).toBe('1 mon 15 days');
    expect(parsed('1.5 years')).toBe('1 year 6 mons');
    expect(parsed('1-2')).toBe('1 year 2 mons');
    expect(parsed('3 4:05:06')).toBe('3 days 04:05:06');
    expect(parsed('P1Y2M3DT4H5M6S')).toBe('1 year 2 mons 3 days 04:05:06');
    expect(parsed('PT1.5S')).toBe('00:00:01.5');
    expect(parsed('2 hours ago')).toBe('-02:00:00');
    expect(parsed('@ 1 minute ago')).toBe('-00:01:00');
    expect(parsed('-1 days +02:00:00')).toBe('-1 days +02:00:00');
    expect(parsed('2 weeks 3 days')).toBe('17 days');
    expect(parsed('1 decade 1 century')).toBe('110 years');
    expect(parsed('10 ms 5 us')).toBe('00:00:00.010005');
    expect(parsed('1day')).toBe('1 day');
  });

  it("applies typmod fields like PostgreSQL (INTERVAL '90' DAY, bare numbers, truncation)", () => {
    expect(parsed('90', IntervalField.day)).toBe('90 days');
    expect(parsed('1', IntervalField.year)).toBe('1 year');
    expect(parsed('3', IntervalField.month)).toBe('3 mons');
    expect(parsed('10')).toBe('00:00:10');
    expect(parsed('1 day 02:03:04', IntervalField.day)).toBe('1 day');
    expect(parsed('1:30', IntervalField.minute | IntervalField.second)).toBe('00:01:30');
    expect(text(parseInterval('1.23456 seconds', undefined, 2))).toBe('00:00:01.23');
  });

  it('rejects what is not an interval with 22007', () => {
    for (const bad of ['soon', '', '1 fortnight', '1 2 3']) {
      try {
        parseInterval(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect((e as SqlError).sqlState).toBe('22007');
      }
    }
  });
});

describe('interval arithmetic', () => {
  it('compares by total span with 30-day months and 24-hour days', () => {
    expect(compareIntervals(1, 0, 0, 0, 30, 0)).toBe(0);
    expect(compareIntervals(0, 1, 0, 0, 0, 24 * HOUR)).toBe(0);
    expect(compareIntervals(12, 0, 0, 0, 360, 0)).toBe(0);
    expect(compareIntervals(0, 0, HOUR, 0, 0, 59 * 60e6)).toBe(1);
    expect(compareIntervals(0, -1, 0, 0, 0, 1)).toBe(-1);
    expect(compareIntervals(0, 0, -1, 0, 0, 0)).toBe(-1);
  });

  it('multiplies and divides with fractions cascading down (interval_mul / interval_div)', () => {
    expect(text(multiplyInterval(0, 1, 0, 1.5))).toBe('1 day 12:00:00');
    expect(text(multiplyInterval(1, 0, 0, 1.5))).toBe('1 mon 15 days');
    expect(text(divideInterval(1, 0, 0, 3))).toBe('10 days');
    expect(text(divideInterval(0, 1, HOUR, 4))).toBe('06:15:00');
    expect(() => divideInterval(1, 0, 0, 0)).toThrow('division by zero');
  });

  it('justify_hours / justify_interval move whole days and months with matching signs', () => {
    expect(text(justifyHours(0, 0, 50 * HOUR))).toBe('2 days 02:00:00');
    expect(text(justifyInterval(1, 0, -HOUR))).toBe('29 days 23:00:00');
  });

  it('adds months with end-of-month clamping, then days, then time', () => {
    const t = addIntervalToTimestamp(us('2024-01-31T10:00:00Z'), 1, 0, 0, 1);
    expect(t).toBe(us('2024-02-29T10:00:00Z'));
    expect(addIntervalToTimestamp(us('2024-03-31T00:00:00Z'), 1, 0, 0, -1)).toBe(us('2024-02-29T00:00:00Z'));
    expect(addIntervalToTimestamp(us('2024-01-01T23:59:59.999Z'), 0, 1, 1000, 1)).toBe(us('2024-01-03T00:00:00Z'));
  });

  it('timestamp - timestamp is days and time (justify_hours); age is symbolic', () => {
    expect(text(subtractTimestamps(us('2024-01-01T00:00:00Z'), us('2023-01-01T01:00:00Z')))).toBe('364 days 23:00:00');
    expect(text(subtractTimestamps(us('2023-01-01T00:00:00Z'), us('2024-01-02T12:00:00Z')))).toBe(
      '-366 days -12:00:00',
    );
    expect(text(ageOf(us('2024-03-31T00:00:00Z'), us('2024-02-29T00:00:00Z')))).toBe('1 mon 2 days');
    expect(text(ageOf(us('2024-02-29T00:00:00Z'), us('2024-03-31T10:00:00Z')))).toBe('-1 mons -2 days -10:00:00');
  });

  it('extract: interval epoch counts 365.25-day years; timestamp second keeps microseconds', () => {
    expect(extractFromInterval('epoch', 12, 0, 0)).toBe(31557600n * 1_000_000n);
    expect(extractFromInterval('hour', 0, 0, 26 * HOUR)).toBe(26);
    expect(extractFromInterval('minute', 0, 0, -65 * 60e6)).toBe(-5);
    expect(extractFromInterval('year', -14, 0, 0)).toBe(-1);
    expect(extractFromTimestamp('second', us('2024-01-01T00:00:01.5Z'))).toBe(1_500_000);
    expect(extractFromTimestamp('epoch', us('2024-01-01T00:00:01.5Z'))).toBe(1704067201500000n);
  });
});

describe('Arrow MONTH_DAY_NANO words', () => {
  it('round-trip microseconds exactly, negative and beyond 2^32 nanoseconds', () => {
    const w = new Int32Array(4);
    for (const u of [0, 1, -1, 4_294_968, -4_294_968, 86_400_000_000, -123_456_789_012_345, 2 ** 52]) {
      setIntervalWords(w, 0, 7, -3, u);
      expect([w[0], w[1], nanosWordsToMicros(w[2]!, w[3]!)]).toEqual([7, -3, u]);
      const nanos = (BigInt(w[3]!) << 32n) | BigInt(w[2]! >>> 0);
      expect(nanos).toBe(BigInt(u) * 1000n);
    }
  });
});

describe('timestamp text', () => {
  it('timestamptz input: an explicit offset or zone wins, else the session zone', () => {
    const ny = sessionZone('America/New_York');
    expect(parseTimestamptz('2024-01-01 10:00:00+02', ny)).toBe(us('2024-01-01T08:00:00Z'));
    expect(parseTimestamptz('2024-01-01 10:00:00', ny)).toBe(us('2024-01-01T15:00:00Z'));
    expect(parseTimestamptz('2024-01-01T10:00:00Z', ny)).toBe(us('2024-01-01T10:00:00Z'));
    expect(parseTimestamptz('2024-01-01 10:00:00-0330', ny)).toBe(us('2024-01-01T13:30:00Z'));
    expect(parseTimestamptz('2024-07-01 10:00:00 Europe/Berlin', ny)).toBe(us('2024-07-01T08:00:00Z'));
    expect(parseTimestamptz('infinity', ny)).toBe(9223372036854775807n);
  });

  it('timestamp input ignores a zone and rounds beyond microseconds', () => {
    expect(parseTimestampLocal('2024-01-01 10:00:00+05')).toBe(us('2024-01-01T10:00:00Z'));
    expect(parseTimestampLocal('2024-01-01 10:00:00.1234567')).toBe(us('2024-01-01T10:00:00Z') + 123457n);
    expect(() => parseTimestampLocal('2024-02-30')).toThrow(SqlError);
  });
});
