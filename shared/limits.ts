/** Input limits shared by the client forms and the server validators. */
export const LIMITS = {
  nameMax: 24,
  buildingMax: 24,
  titleMax: 60,
  noteMax: 500,
  descriptionMax: 200,
  itemNameMax: 24,
  unitMax: 4,
  itemsMax: 30,
  linesMax: 30,
  dropPointsMax: 50,
  /** Largest price per unit, in fen (¥10,000). */
  priceMaxFen: 1_000_000,
  /** Largest quantity of one line, in units. */
  qtyMax: 9_999,
  /** Largest stock of one item, in units. */
  stockMax: 1_000_000,
  stepMax: 100,
  communityNameMax: 40,
  /** A phone: an optional +, then 4 to 20 digits, spaces or dashes (the last 4 digits will do). */
  phoneMin: 4,
  phoneMax: 21,
} as const;
