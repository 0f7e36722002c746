"""Make the feedback form's spoken questions with eSpeak NG and Opus; run by scripts/feedback-audio.

Each file speaks ``prompts.spoken_text(question, language)``. A file is made again when the
digest of those words differs from the one in the manifest (or with ``--all``), so an unchanged
translation leaves the committed file byte for byte as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import zlib

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
django.setup()

from django.conf import settings  # noqa: E402

from setu.feedback import prompts  # noqa: E402

# eSpeak NG's voices for Setu's languages (it has no Indian English: British is the nearer).
# The "+f3" variant is a woman's voice; a survivor is more at ease with one.
VOICES = {"en": "en-gb", "hi": "hi", "bn": "bn", "mr": "mr", "or": "or", "te": "te"}
VARIANT = "+f3"
WORDS_PER_MINUTE = 135  # slower than the engine's 175: heard once, on a phone's speaker
# Full paths (scripts/feedback-audio installs both); the arguments are our own words.
ESPEAK = shutil.which("espeak-ng") or "/usr/bin/espeak-ng"
OPUSENC = shutil.which("opusenc") or "/usr/bin/opusenc"
BITRATE_KBPS = 12  # mono speech: about 1.5 KB a second, clear enough for words


def _seconds(wav: bytes) -> float:
    # eSpeak NG writes 16-bit mono PCM at 22,050 Hz after a 44-byte header.
    return round((len(wav) - 44) / (22050 * 2), 1)


def make(language: str, question: str, text: str) -> dict:
    voice = VOICES[language] + VARIANT
    wav = subprocess.run(  # noqa: S603 - fixed programs, our own translated questions
        [ESPEAK, "-b", "1", "-v", voice, "-s", str(WORDS_PER_MINUTE), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    target = prompts.AUDIO_DIR / language / f"{question}.ogg"
    target.parent.mkdir(parents=True, exist_ok=True)
    # A fixed stream serial number: the same words give the same bytes, so git sees no change.
    serial = zlib.crc32(f"{language}/{question}".encode())
    subprocess.run(  # noqa: S603 - fixed programs and paths of our own
        [OPUSENC, "--quiet", "--speech", "--downmix-mono", "--bitrate", str(BITRATE_KBPS),
         "--serial", str(serial), "-", str(target)],
        input=wav,
        check=True,
    )  # fmt: skip
    return {
        "digest": prompts.text_digest(text),
        "source": f"espeak-ng {voice}",
        "bytes": target.stat().st_size,
        "seconds": _seconds(wav),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", action="store_true", help="make every file again")
    args = parser.parse_args()
    version = subprocess.run(  # noqa: S603
        [ESPEAK, "--version"], capture_output=True, text=True
    ).stdout
    manifest = prompts.manifest()
    entries = manifest.setdefault("prompts", {})
    made = 0
    for language, _name in settings.LANGUAGES:
        for question in prompts.QUESTIONS:
            key = f"{language}/{question}"
            old = entries.get(key, {})
            if old.get("source") == "recorded":
                continue
            text = prompts.spoken_text(question, language)
            fresh = old.get("digest") == prompts.text_digest(text)
            if fresh and not args.all and (prompts.AUDIO_DIR / f"{key}.ogg").exists():
                continue
            entries[key] = make(language, question, text)
            made += 1
            print(f"{key}: {entries[key]['seconds']} s, {entries[key]['bytes']} bytes")
    manifest["engine"] = " ".join(version.split()[:4]) + f", Opus {BITRATE_KBPS} kbit/s mono"
    manifest["prompts"] = dict(sorted(entries.items()))
    prompts.MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"{made} made; manifest {prompts.MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
