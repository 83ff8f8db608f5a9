import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../common/expr/expr.js';
import { BIGINT, BOOLEAN, DATE, type DataType, INTEGER, VARCHAR } from '../../../../common/types.js';
import { parseDuration } from '../../../../connectors/lake/config.js';
import {
  dateDays,
  inferPartitionType,
  parsePartitionDir,
  partitionDirName,
  typedPartitionValue,
} from '../../../../connectors/lake/partitions.js';
import { partitionFilter, satisfies, toPartitionPredicate } from '../../../../connectors/lake/predicates.js';
import { groupRowGroups } from '../../../../connectors/lake/splits.js';

describe('partition directories', () => {
  it('parses key=value names, URL escapes and the hive NULL partition', () => {
    expect(parsePartitionDir('dt=2024-05-01')).toEqual(['dt', '2024-05-01']);
    expect(parsePartitionDir('City=New%20York')).toEqual(['city', 'New York']);
    expect(parsePartitionDir('x=__HIVE_DEFAULT_PARTITION__')).toEqual(['x', null]);
    expect(parsePartitionDir('a=b=c')).toEqual(['a', 'b=c']);
    expect(parsePartitionDir('plain')).toBeUndefined();
    expect(parsePartitionDir('=x')).toBeUndefined();
    expect(parsePartitionDir(partitionDirName('k', 'a/b c'))).toEqual(['k', 'a/b c']);
  });

  it('infers integer, bigint, date or varchar', () => {
    expect(inferPartitionType(['1', '-20', null])).toEqual(INTEGER);
    expect(inferPartitionType(['1', '3000000000'])).toEqual(BIGINT);
    expect(inferPartitionType(['2024-05-01', '2024-12-31'])).toEqual(DATE);
    expect(inferPartitionType(['2024-05-01', '2024-02-30'])).toEqual(VARCHAR);
    expect(inferPartitionType(['1', 'x'])).toEqual(VARCHAR);
    expect(inferPartitionType([null])).toEqual(VARCHAR);
  });

  it('types values for comparison', () => {
    expect(dateDays('1970-01-02')).toBe(1);
    expect(typedPartitionValue('2024-05-01', DATE)).toBe(19844);
    expect(typedPartitionValue('42', INTEGER)).toBe(42);
    expect(typedPartitionValue(null, INTEGER)).toBeNull();
    expect(typedPartitionValue('x', VARCHAR)).toBe('x');
  });

  it('parses durations', () => {
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

const ref = (id: string, type: DataType): Expr => ({ kind: 'ref', id, type });
const lit = (value: number | string | null, type: DataType): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, a: Expr, b: Expr): Expr => ({ kind: 'call', fn, args: [a, b], type: BOOLEAN });

describe('partition predicates', () => {
  const types = new Map<string, DataType>([
    ['dt', DATE],
    ['region', VARCHAR],
    ['hour', INTEGER],
  ]);

  it('accepts comparisons, IN and IS NULL on partition columns only', () => {
    expect(toPartitionPredicate(call('ge', ref('dt', DATE), lit(19844, DATE)), types)).toEqual({
      column: 'dt',
      op: 'ge',
      values: [19844],
    });
    // literal on the left flips the operator
    expect(toPartitionPredicate(call('lt', lit(3, INTEGER), ref('hour', INTEGER)), types)).toEqual({
      column: 'hour',
      op: 'gt',
      values: [3],
    });
    const inList: Expr = {
      kind: 'in',
      arg: ref('region', VARCHAR),
      list: [lit('eu', VARCHAR), lit(null, VARCHAR)],
      negated: false,
      type: BOOLEAN,
    };
    expect(toPartitionPredicate(inList, types)).toEqual({ column: 'region', op: 'in', values: ['eu'] });
    expect(toPartitionPredicate(call('eq', ref('other', INTEGER), lit(1, INTEGER)), types)).toBeUndefined();
    expect(toPartitionPredicate(call('eq', ref('hour', INTEGER), ref('hour', INTEGER)), types)).toBeUndefined();
    // a date column compared with a varchar literal is left to the engine
    expect(toPartitionPredicate(call('eq', ref('dt', DATE), lit('2024-05-01', VARCHAR)), types)).toBeUndefined();
  });

  it('evaluates predicates on partition values, NULL never matching a comparison', () => {
    expect(satisfies({ column: 'h', op: 'le', values: [3] }, 3)).toBe(true);
    expect(satisfies({ column: 'h', op: 'lt', values: [3] }, 3)).toBe(false);
    expect(satisfies({ column: 'h', op: 'ne', values: [3] }, null)).toBe(false);
    expect(satisfies({ column: 'h', op: 'is_null', values: [] }, null)).toBe(true);
    expect(satisfies({ column: 'h', op: 'in', values: ['a', 'b'] }, 'b')).toBe(true);
    const keep = partitionFilter([{ column: 'dt', op: 'ge', values: [19845] }], types)!;
    expect(keep('dt', '2024-05-01')).toBe(false);
    expect(keep('dt', '2024-05-02')).toBe(true);
    expect(keep('region', 'eu')).toBe(true);
  });

  it('groups row groups into splits of about the target size', () => {
    expect(groupRowGroups([100, 100, 100, 100, 50], 200)).toEqual([[0, 1], [2, 3], [4]]);
    expect(groupRowGroups([1000], 200)).toEqual([[0]]);
    expect(groupRowGroups([], 200)).toEqual([]);
  });
});
