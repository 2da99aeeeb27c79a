/** Placeholder shell; the real UI is built on top of this. */
export function App() {
  return (
    <main>
      <h1>Grok Lab</h1>
    </main>
  );
}
