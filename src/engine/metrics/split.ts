export interface SplitSummary {
  trainAccuracy: number;
  testAccuracy: number;
  trainLoss: number;
  testLoss: number;
}

/** Mean loss and accuracy over each split from per-example values (correct is 1 or 0 per example). */
export function summarizeSplits(
  perExampleLoss: ArrayLike<number>,
  correct: ArrayLike<number>,
  isTrain: ArrayLike<number>,
): SplitSummary {
  let trainCount = 0;
  let trainLoss = 0;
  let trainCorrect = 0;
  let testLoss = 0;
  let testCorrect = 0;
  for (let i = 0; i < isTrain.length; i++) {
    if (isTrain[i]) {
      trainCount++;
      trainLoss += perExampleLoss[i];
      trainCorrect += correct[i];
    } else {
      testLoss += perExampleLoss[i];
      testCorrect += correct[i];
    }
  }
  const testCount = isTrain.length - trainCount;
  const mean = (sum: number, count: number): number => (count > 0 ? sum / count : Number.NaN);
  return {
    trainAccuracy: mean(trainCorrect, trainCount),
    testAccuracy: mean(testCorrect, testCount),
    trainLoss: mean(trainLoss, trainCount),
    testLoss: mean(testLoss, testCount),
  };
}
