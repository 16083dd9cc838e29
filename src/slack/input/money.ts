// The words for an amount's problem live with the other answers (slack/reply.ts); parsers return codes.
export { amountProblem } from '../reply.ts';
