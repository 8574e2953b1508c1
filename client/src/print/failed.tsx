/** A print view that could not load: say why in plain words. */
export function LoadFailed({ message }: { message: string }) {
  return (
    <p class="card notice bad" role="alert">
      {message}
    </p>
  );
}
