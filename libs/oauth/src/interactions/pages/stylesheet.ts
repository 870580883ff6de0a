/** The pages' one small stylesheet: readable, high-contrast, visible focus, no web fonts. */
export const STYLESHEET = `
:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}
body{margin:0;padding:2rem 1rem;background:Canvas;color:CanvasText}
main{max-width:26rem;margin:0 auto;padding:1.5rem;border:1px solid GrayText;border-radius:.5rem}
h1{font-size:1.5rem;margin-top:0}
label{display:block;font-weight:600;margin-top:1rem}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.6rem;font-size:1rem;border:1px solid GrayText;border-radius:.25rem}
button{margin-top:1.25rem;margin-right:.5rem;padding:.6rem 1.2rem;font-size:1rem;border-radius:.25rem;border:1px solid ButtonBorder;cursor:pointer}
button.primary{background:#1a56db;color:#fff;border-color:#1a56db}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.alert{padding:.75rem;border:2px solid #b91c1c;border-radius:.25rem}
.hint{font-size:.9rem}
ul.scopes{padding-left:1.25rem}
code{font-size:1.4rem;letter-spacing:.1em}
`;
