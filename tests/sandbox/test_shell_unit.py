"""Pure pieces of the shell protocol and the image recipe."""

from __future__ import annotations

from assistant.tools.sandbox import image
from assistant.tools.sandbox.shell import OutputCap, encode_command


def test_output_cap_keeps_head_and_tail():
    cap = OutputCap(100)
    for i in range(1000):
        cap.add(f"{i:04d}\n".encode())
    text = cap.text()
    assert cap.truncated and text.startswith("0000\n0001\n") and text.endswith("0998\n0999\n")
    assert "bytes of output cut" in text
    cut = int(text.split("[... ")[1].split(" bytes")[0])
    assert cut == 5000 - 100
    assert len(cap.tail) <= 100  # memory stays bounded


def test_output_cap_small_output_untouched():
    cap = OutputCap(100)
    cap.add(b"hello\n")
    assert not cap.truncated and cap.text() == "hello\n"


def test_encode_command_is_one_line():
    enc = encode_command("a\nb\\c\td\x01'\"")
    assert "\n" not in enc and enc == "a\\nb\\\\c\\td\\x01'\""


def test_debian_mirror_from_deb822_and_list(tmp_path):
    d = tmp_path / "sources.list.d"
    d.mkdir()
    (d / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
        "Components: main\n\nTypes: deb\nURIs: http://security.example/debian-security\n"
        "Suites: bookworm-security\nComponents: main\n"
    )
    assert image.debian_mirror(tmp_path) == "http://mirror.example/debian"
    (d / "debian.sources").unlink()
    (tmp_path / "sources.list").write_text(
        "# comment\ndeb [arch=amd64] http://old.example/debian/ bookworm main contrib\n"
    )
    assert image.debian_mirror(tmp_path) == "http://old.example/debian"
    (tmp_path / "sources.list").write_text("")
    assert image.debian_mirror(tmp_path) == image.DEFAULT_MIRROR


def test_image_tag_and_dockerfile():
    from assistant import __version__

    assert f"assistant-sandbox:{__version__}" == image.IMAGE
    text = image.DOCKERFILE.read_text()
    assert "FROM debian:bookworm-slim" in text and "python3" in text and "ripgrep" in text
    assert len(image.recipe_hash()) == 12


async def test_handshake_failure_quotes_what_the_shell_printed(tmp_path):
    """A driver that dies at start: the error says why (it used to be empty)."""
    import pytest

    from assistant.tools.sandbox.base import SandboxError
    from assistant.tools.sandbox.host import ProcessTransport
    from assistant.tools.sandbox.shell import PersistentShell

    async def connect():
        argv = ["bash", "-c", "echo 'bash: /opt/missing: No such file'; exit 3"]
        return await ProcessTransport.spawn(argv, {"PATH": "/usr/bin:/bin"}, str(tmp_path))

    shell = PersistentShell(connect)
    with pytest.raises(SandboxError, match=r"exited at start: bash: /opt/missing: No such file"):
        await shell.exec("true", timeout=10)
