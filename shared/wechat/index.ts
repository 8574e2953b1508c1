/** The WeChat text bridge: price posts → listings, 接龙 text ↔ chain entries. Pure, isomorphic. */
export {
  type ChainItemRef,
  type ParsedChain,
  type ParsedEntry,
  type ParsedLine,
  parseChainText,
  type ReviewCode,
  type ReviewLine,
  type ReviewProblem,
  reasonOf,
} from "./chain-parser.js";
export {
  chainToText,
  entryLine,
  type TextChain,
  type TextEntry,
  type TextItem,
} from "./chain-text.js";
export { type ListingItem, type ParsedListing, parseListing } from "./listing-parser.js";
