"""Speech for every question: spoken text, engines, content-addressed MP3 files, serving.

Layout:
- text.py      display text -> speech text (pure, versioned), clips of a question body
- chunker.py   Chinese sentence packer for gTTS (<= 100 chars per request)
- langs.py     listener languages and per-language text substitutions
- mp3.py       MPEG audio frame walker: validation and duration
- keys.py      clip key = hash of speech text + everything that changes the sound
- store.py     AUDIO_DIR: sharded paths, atomic validated writes, orphans
- engines/     Synthesizer protocol, registry, gTTS and espeak-ng engines
- service.py   audio_url(): which file (if any) plays a text, cheap enough per request
- cli.py       flask tts warm | verify | gc
- routes.py    GET /audio/<key>.mp3

Importing this package imports nothing heavy: gTTS is only imported by engines/gtts_engine.py.
"""

from __future__ import annotations

from app.tts.engines.base import Synthesizer, TTSError

__all__ = ["Synthesizer", "TTSError"]
