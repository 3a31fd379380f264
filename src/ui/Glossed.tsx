import { glossPieces } from './glossary';

/**
 * Text with the model reference's codes explained in place: each code is an
 * `<abbr>` whose tooltip says what it is. Plain text only, never markup.
 */
export function Glossed({ text }: { text: string }) {
  return (
    <>
      {glossPieces(text).map((p, i) =>
        p.code === undefined ? (
          p.text
        ) : (
          <abbr key={i} title={p.meaning} className="code-ref" tabIndex={0}>
            {p.text}
          </abbr>
        ),
      )}
    </>
  );
}
