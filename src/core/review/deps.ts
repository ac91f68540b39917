export const TIMER_REMIND = "review.remind";
export const TIMER_BREACH = "review.breach";

export const cardRefOf = (stepId: number) => `review:step:${stepId}`;
