/**
 * Middle ellipsis for long names ("quarterly-report-final…-v12.pdf"): the name is drawn as a
 * head that may shrink with an ellipsis and a tail that never does — the end of the name, where
 * versions, dates and the extension are. No measuring: CSS does the cutting.
 */
const TAIL = 10;

export function splitForEllipsis(name: string): [head: string, tail: string] {
  const chars = [...name]; // code points: never cut a surrogate pair
  if (chars.length <= TAIL + 4) return [name, ''];
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? [...name.slice(dot)].length : 0;
  const keep = Math.min(Math.max(TAIL, ext + 4), chars.length - 4);
  return [chars.slice(0, -keep).join(''), chars.slice(-keep).join('')];
}
