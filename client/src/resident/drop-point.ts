/**
 * The drop point a new order starts with: the one this phone chose last time in the community,
 * or the only one there is. With several and none remembered, none: the resident chooses (a
 * guessed drop point is a bag left at the wrong gate).
 */
export function startingDropPoint(points: { id: string }[], remembered?: string): string {
  if (remembered && points.some((d) => d.id === remembered)) return remembered;
  return points.length === 1 ? (points[0]?.id ?? "") : "";
}
