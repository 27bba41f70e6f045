"""What a password must not be: short, common, or made of the person's own name or e-mail.

Common passwords and keyboard runs are zxcvbn's (its frequency lists ship inside the package,
MIT licence, which is how "a maintained list vendored with its licence" is kept up to date:
by pinning the package). Long passphrases pass: length is never capped below 200 and no mix
of character classes is asked. Two rules are ours and written here: a password typed on the
Russian layout is judged as the Latin keys pressed («йцукенгшщз» is «qwertyuiop»), and a
password that is the person's name or e-mail with a few characters added is refused even when
zxcvbn's dictionary does not know that name.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn's score: 0–1 are guessed within a million tries; 2 and above are not.
MIN_SCORE = 2
# What is left once the person's own words are taken out must be at least this long.
MIN_REST = 6
_RUSSIAN_LAYOUT = str.maketrans(
    "йцукенгшщзхъфывапролджэячсмитьбюё", "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
)
# zxcvbn takes at most 72 characters (and is quadratic in the length); a passphrase longer
# than that is judged by its start.
_ZXCVBN_LIMIT = 72


def own_words(*texts: str | None) -> list[str]:
    """The pieces of a name and an e-mail that a password must not be made of."""
    words = set()
    for text in texts:
        if not text:
            continue
        text = text.casefold()
        local = text.split("@", 1)[0]
        words.update(w for w in re.split(r"[\W\d_]+", local) if len(w) >= 3)
        words.add(local)
    return sorted(words, key=len, reverse=True)


def problem(password: str, *context: str | None):
    """Why ``password`` will not do (a lazy message in the user's language), or None.

    ``context``: the person's display name, e-mail and the like.
    """
    if len(password) < MIN_LENGTH:
        return _l("Пароль: не короче %(n)s символов.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Пароль: не длиннее %(n)s символов.", n=MAX_LENGTH)
    words = own_words(*context)
    rest = password.casefold()
    for word in words:
        rest = rest.replace(word, "")
    if words and len(re.sub(r"[\W\d_]", "", rest)) + len(re.findall(r"\d", rest)) < MIN_REST:
        return _l("Пароль не должен состоять из вашего имени или почты.")
    inputs = words + [w.translate(_RUSSIAN_LAYOUT) for w in words]
    for candidate in {password, password.casefold().translate(_RUSSIAN_LAYOUT)}:
        if zxcvbn(candidate[:_ZXCVBN_LIMIT], user_inputs=inputs)["score"] < MIN_SCORE:
            return _l(
                "Такой пароль легко угадать: он из списка частых паролей или это ряд клавиш. "
                "Придумайте фразу из нескольких слов."
            )
    return None
