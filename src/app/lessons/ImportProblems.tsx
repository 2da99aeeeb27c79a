/** What is wrong with a lesson file, every problem naming its step and field. */
export function ImportProblems({ problems, what }: { problems: readonly string[]; what: string }) {
  if (problems.length === 0) return null;
  return (
    <div className="lesson-problems" role="alert">
      <p>{what}:</p>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}
