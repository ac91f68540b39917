/**
 * Feedback classification: the entry point the ticket code imports. The work is split by concern under
 * ./classify/ (lists and their files, sentiment, severe events, source platform, text helpers).
 */
export {
  type Classification,
  type ClassifyOptions,
  classifyFeedback,
  type FeedbackLists,
  type FeedbackSource,
  type Kind,
  type MidRating,
  type Sentiment,
} from "./classify/index.ts";
export { FEEDBACK_FILES, loadFeedbackLists, sourceLabel } from "./classify/lists.ts";
export { normaliseFeedback } from "./classify/text.ts";
