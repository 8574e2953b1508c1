/** The WeChat text bridge: price posts → listings, 接龙 text ↔ chain entries. Pure, isomorphic. */
export {
  type ChainItemRef,
  type ChainParseOptions,
  type EntryDropPoint,
  type ParsedChain,
  type ParsedEntry,
  type ParsedLine,
  parseChainText,
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
export {
  type DropPointMatch,
  type DropPointRead,
  type DropPointRef,
  matchDropPoint,
} from "./drop-points.js";
export {
  type ListingItem,
  type ListingReview,
  type ParsedListing,
  parseListing,
} from "./listing-parser.js";
export {
  type ListingReviewCode,
  REASON_CODES,
  REVIEW_REASONS,
  type ReasonCode,
  type ReasonWording,
  type ReviewCode,
  wordReason,
} from "./review-reasons.js";
