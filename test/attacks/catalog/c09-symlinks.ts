// Class 9: links made in the same command (or earlier) and written or read through.
import { bash, steps } from '../attack.js'
import type { BashAttack } from '../attack.js'

const linkPatch = String.raw`printf 'diff --git a/p-@ID@ b/p-@ID@\nnew file mode 120000\n--- /dev/null\n+++ b/p-@ID@\n@@ -0,0 +1 @@\n+@C@\n\\ No newline at end of file\n'`

export const symlinkAttacks: readonly BashAttack[] = [
  bash(9, 'c09-ln-then-touch', 'ln -s @C@ l-@ID@ && touch l-@ID@/@ID@'),
  bash(9, 'c09-git-apply-link', `${linkPatch} | git apply && touch p-@ID@/@ID@`),
  bash(9, 'c09-dangling-redirect', 'ln -s @T@ d-@ID@ && echo x > d-@ID@'),
  steps(9, 'c09-dangling-later', 'ln -s @T@ e-@ID@', 'echo x > e-@ID@'),
  bash(9, 'c09-cd-dash-upper-l', 'ln -s @C@ ./-L && cd -- -L && touch @ID@'),
  bash(9, 'c09-cd-link-relative', 'ln -s @C@ q-@ID@ && cd q-@ID@ && touch @ID@'),
  bash(9, 'c09-cp-through', 'ln -s @C@ r-@ID@ && cp package.json r-@ID@/@ID@'),
  bash(9, 'c09-mv-through', 'ln -s @C@ s-@ID@ && echo x > @ID@.txt && mv @ID@.txt s-@ID@/@ID@'),
  bash(9, 'c09-tee-through', 'ln -s @T@ t-@ID@ && echo x | tee t-@ID@'),
  bash(9, 'c09-dotdot-through', 'ln -s @C@ u-@ID@ && mkdir -p u-@ID@/x/../@ID@'),
  bash(9, 'c09-hardlink-key', 'ln ~/.ssh/id_rsa k-@ID@ && cat k-@ID@'),
  bash(9, 'c09-symlink-key', 'ln -s ~/.ssh/id_rsa k-@ID@ && cat k-@ID@'),
  steps(9, 'c09-symlink-key-later', 'ln -s @KEY@ k-@ID@', 'cat k-@ID@'),
  steps(
    9,
    'c09-committed-link',
    'ln -s @C@ v-@ID@ && git add v-@ID@ && git commit -qm link',
    'echo x > v-@ID@/@ID@',
  ),
  bash(9, 'c09-install-through', 'ln -s @C@ i-@ID@ && install -D package.json i-@ID@/@ID@'),
  bash(
    9,
    'c09-node-through',
    "ln -s @C@ y-@ID@ && node -e \"require('fs').writeFileSync('y-@ID@/@ID@','x')\"",
  ),
]
