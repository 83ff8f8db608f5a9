// dbgen's date arithmetic. Generated dates are day numbers where 92001 is 1992-01-01 and days run
// consecutively, so a date is an epoch day after subtracting a constant. "In the past" compares
// with dbgen's CURRENTDATE 1995-06-17, expressed in its yyddd "julian" form.

export const MIN_GENERATE_DATE = 92001;
export const TOTAL_DATE_RANGE = 2557;
/** Generated date of 1970-01-01. */
const GENERATED_DATE_EPOCH_OFFSET = 83966;
const CURRENT_DATE = 95168;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && year % 100 !== 0;
}

/** dbgen's julian(): a generated day number as yyddd. */
function julian(date: number): number {
  let offset = date - MIN_GENERATE_DATE;
  let result = MIN_GENERATE_DATE;
  for (;;) {
    const year = Math.trunc(result / 1000);
    const yearEnd = year * 1000 + 365 + (isLeapYear(year) ? 1 : 0);
    if (result + offset <= yearEnd) break;
    offset -= yearEnd - result + 1;
    result += 1000;
  }
  return result + offset;
}

/** The last generated date that dbgen considers in the past (julian(d) <= CURRENTDATE). */
export const LAST_PAST_DATE: number = (() => {
  let d = MIN_GENERATE_DATE;
  while (julian(d + 1) <= CURRENT_DATE) d++;
  return d;
})();

export function toEpochDay(generatedDate: number): number {
  return generatedDate - GENERATED_DATE_EPOCH_OFFSET;
}
