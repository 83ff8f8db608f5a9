// node-pg type parsers that leave every value as the text the server sent (no Date, no number):
// results of Tributary and PostgreSQL are compared as text, and copied between them as text.
import type pg from 'pg';

const identity = (value: string): string => value;

export const RAW_TEXT: pg.CustomTypesConfig = {
  getTypeParser: (() => identity) as unknown as pg.CustomTypesConfig['getTypeParser'],
};
