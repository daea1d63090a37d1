/** Whether `text` has no lone surrogates, i.e. whether UTF-8 can encode it (names travel as UTF-8). */
export function isWellFormed(text: string): boolean {
  return /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/.test(text);
}
