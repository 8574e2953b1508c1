/** A grid of big link buttons (print views, exports, other pages). */
export function LinkGrid({
  links,
}: {
  links: readonly (readonly [href: string, label: string])[];
}) {
  return (
    <div class="link-grid">
      {links.map(([href, label]) => (
        <a key={href} class="link-button" href={href}>
          {label}
        </a>
      ))}
    </div>
  );
}
