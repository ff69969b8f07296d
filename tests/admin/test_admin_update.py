"""Signed updates: what applies, what is rejected, and that a rejection changes nothing."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from tuf_repository import TufRepository

from kiosk.admin import update
from kiosk.admin.errors import ReleaseUnhealthy, UpdateRejected, UpdateUnavailable
from kiosk.admin.releases import InstallRoot


def install_state(install: InstallRoot) -> dict[str, object]:
    """Everything an update could change under the install root: files and link targets."""
    state: dict[str, object] = {}
    for path in sorted(install.root.rglob("*")):
        key = str(path.relative_to(install.root))
        if path.is_symlink():
            state[key] = ("link", os.readlink(path))
        elif path.is_file():
            state[key] = ("file", path.read_bytes())
        else:
            state[key] = ("dir",)
    return state


def test_valid_update_applies_beside_the_old_release(update_settings, install_root):
    """A correctly signed newer release is unpacked beside 0.1.0 and becomes current."""
    result = update.apply(update_settings)
    assert result.installed == "0.2.0" and result.previous == "0.1.0"
    assert install_root.current_version() == "0.2.0"
    assert install_root.previous_version() == "0.1.0"
    assert (install_root.releases / "0.1.0" / "bin" / "kiosk").is_file()
    assert os.readlink(install_root.current_link) == "releases/0.2.0"
    pending = install_root.pending()
    assert pending is not None and pending.version == "0.2.0" and pending.previous == "0.1.0"


def test_check_reports_the_newer_release_without_installing(update_settings, install_root):
    """`check` reads the signed pointer and changes nothing under the install root."""
    before = install_state(install_root)
    release = update.check(update_settings)
    assert (release.version, release.running, release.is_newer) == ("0.2.0", "0.1.0", True)
    assert install_state(install_root) == before


def test_update_from_a_usb_folder(update_settings, install_root, tuf_repo, tmp_path):
    """A copy of the repository on a USB stick applies the same way, verified the same way."""
    usb = tmp_path / "usb"
    shutil.copytree(tuf_repo.folder, usb)
    result = update.apply(update_settings, from_dir=usb)
    assert result.installed == "0.2.0"
    assert install_root.current_version() == "0.2.0"


def test_tampered_target_is_rejected_and_nothing_changes(update_settings, install_root, tuf_repo):
    """An archive whose bytes differ from the signed hash never reaches the install root."""
    archive = tuf_repo.folder / "targets" / "kiosk-0.2.0.tar.gz"
    data = bytearray(archive.read_bytes())
    data[-10] ^= 0xFF
    archive.write_bytes(bytes(data))
    before = install_state(install_root)
    with pytest.raises(UpdateRejected, match="tampered"):
        update.apply(update_settings)
    assert install_state(install_root) == before


def test_downgrade_to_an_older_release_is_refused(kiosk_home, install_root, serve_folder,
                                                  tmp_path):
    """A validly signed repository that points to 0.0.9 cannot downgrade a 0.1.0 kiosk."""
    from kiosk.config import load_settings

    repo = TufRepository(tmp_path / "old-repo")
    repo.add_release("0.0.9")
    repo.publish()
    root_file = tmp_path / "root.json"
    root_file.write_bytes(repo.root_bytes())
    settings = load_settings(demo=True, overrides={
        "admin.install_root": str(install_root.root), "admin.update_root": str(root_file),
        "admin.update_url": serve_folder(repo.folder)})
    before = install_state(install_root)
    with pytest.raises(UpdateRejected, match="downgrade"):
        update.apply(settings)
    assert install_state(install_root) == before


def test_metadata_rollback_is_rejected(update_settings, install_root, tuf_repo):
    """Once the kiosk saw timestamp version N, a replayed older timestamp is refused."""
    old_timestamp = tuf_repo.metadata_bytes("timestamp")
    old_snapshot = tuf_repo.metadata_bytes("snapshot")
    old_targets = tuf_repo.metadata_bytes("targets")
    tuf_repo.add_release("0.3.0")
    tuf_repo.publish()
    assert update.check(update_settings).version == "0.3.0"
    for role, data in (("timestamp", old_timestamp), ("snapshot", old_snapshot),
                       ("targets", old_targets)):
        (tuf_repo.folder / "metadata" / f"{role}.json").write_bytes(data)
    before = install_state(install_root)
    with pytest.raises(UpdateRejected, match="rollback"):
        update.apply(update_settings)
    assert install_state(install_root) == before


def test_expired_metadata_is_rejected(update_settings, install_root, tuf_repo):
    """Metadata past its expiry date is refused even though its signatures are good."""
    tuf_repo.publish(expires_in=timedelta(days=-1))
    before = install_state(install_root)
    with pytest.raises(UpdateRejected, match="expired"):
        update.apply(update_settings)
    assert install_state(install_root) == before


def test_repository_signed_by_other_keys_is_rejected(kiosk_home, install_root, serve_folder,
                                                     tmp_path):
    """A repository whose keys differ from the embedded root cannot install anything."""
    from kiosk.config import load_settings

    trusted = TufRepository(tmp_path / "trusted")
    impostor = TufRepository(tmp_path / "impostor")
    impostor.add_release("9.9.9")
    impostor.publish()
    root_file = tmp_path / "root.json"
    root_file.write_bytes(trusted.root_bytes())
    settings = load_settings(demo=True, overrides={
        "admin.install_root": str(install_root.root), "admin.update_root": str(root_file),
        "admin.update_url": serve_folder(impostor.folder)})
    before = install_state(install_root)
    with pytest.raises(UpdateRejected, match="not signed by the keys"):
        update.apply(settings)
    assert install_state(install_root) == before


def test_unhealthy_release_is_not_switched_to(kiosk_home, install_root, serve_folder, tmp_path):
    """A signed release whose launcher fails is removed again and 0.1.0 stays current."""
    from kiosk.config import load_settings

    repo = TufRepository(tmp_path / "repo")
    repo.add_release("0.2.0", healthy=False)
    repo.publish()
    root_file = tmp_path / "root.json"
    root_file.write_bytes(repo.root_bytes())
    settings = load_settings(demo=True, overrides={
        "admin.install_root": str(install_root.root), "admin.update_root": str(root_file),
        "admin.update_url": serve_folder(repo.folder)})
    before = install_state(install_root)
    with pytest.raises(ReleaseUnhealthy):
        update.apply(settings)
    assert install_state(install_root) == before


def test_unconfirmed_release_is_rolled_back_at_start(update_settings, install_root):
    """A new release that never confirms a healthy start is replaced by the previous one."""
    update.apply(update_settings)
    for _ in range(3):
        assert install_root.boot_check(max_starts=3) is None
        assert install_root.current_version() == "0.2.0"
    assert install_root.boot_check(max_starts=3) == "0.1.0"
    assert install_root.current_version() == "0.1.0"
    assert install_root.pending() is None


def test_confirmed_release_stays(update_settings, install_root):
    """Once the new release confirms a healthy start, later starts never roll it back."""
    update.apply(update_settings)
    install_root.boot_check()
    install_root.confirm_healthy()
    for _ in range(5):
        assert install_root.boot_check() is None
    assert install_root.current_version() == "0.2.0"


def test_already_up_to_date_changes_nothing(update_settings, install_root):
    """Applying the release that is already running is a no-op."""
    update.apply(update_settings)
    install_root.confirm_healthy()
    before = install_state(install_root)
    result = update.apply(update_settings)
    assert result.installed is None and "up to date" in result.message
    assert install_state(install_root) == before


def test_folder_without_repository_is_a_clear_error(update_settings, tmp_path: Path):
    """A USB folder with no metadata/targets says what it needs."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(UpdateUnavailable, match="metadata/ and targets/"):
        update.apply(update_settings, from_dir=tmp_path / "empty")


def test_unreachable_repository_is_unavailable_not_rejected(update_settings, install_root):
    """A repository that cannot be reached is reported as unavailable and changes nothing."""
    from dataclasses import replace

    settings = replace(update_settings,
                       admin=replace(update_settings.admin, update_url="http://127.0.0.1:9"))
    before = install_state(install_root)
    with pytest.raises(UpdateUnavailable):
        update.apply(settings)
    assert install_state(install_root) == before


def test_update_commands_from_usb_folder(update_settings, install_root, tuf_repo, tmp_path):
    """`kiosk update check/apply --from DIR` and the start-up hooks work end to end."""
    from click.testing import CliRunner

    from kiosk.cli import main

    usb = tmp_path / "usb"
    shutil.copytree(tuf_repo.folder, usb)
    flags = ["--set", f"admin.install_root={install_root.root}",
             "--set", f"admin.update_root={update_settings.admin.update_root}", "--demo"]
    runner = CliRunner()
    result = runner.invoke(main, [*flags, "update", "check", "--from", str(usb), "--json"])
    assert result.exit_code == 0, result.output
    assert '"available": "0.2.0"' in result.output
    archive = usb / "targets" / "kiosk-0.2.0.tar.gz"
    genuine = archive.read_bytes()
    archive.write_bytes(genuine[:-1] + bytes([genuine[-1] ^ 1]))
    result = runner.invoke(main, [*flags, "update", "apply", "--from", str(usb)])
    assert result.exit_code == 3, result.output
    assert "tampered" in result.output and install_root.current_version() == "0.1.0"
    archive.write_bytes(genuine)
    result = runner.invoke(main, [*flags, "update", "apply", "--from", str(usb)])
    assert result.exit_code == 0, result.output
    assert install_root.current_version() == "0.2.0"
    assert runner.invoke(main, [*flags, "update", "confirm"]).exit_code == 0
    assert install_root.pending() is None
    result = runner.invoke(main, [*flags, "update", "rollback"])
    assert result.exit_code == 0 and install_root.current_version() == "0.1.0"
    result = runner.invoke(main, [*flags, "update", "apply", "--from", str(usb)])
    assert result.exit_code == 0 and "was rolled back" in result.output
    assert install_root.current_version() == "0.1.0"


def test_concurrent_apply_is_refused(update_settings, install_root):
    """While one update holds the lock, a second apply is refused and changes nothing."""
    import fcntl

    lock_file = update_settings.data_dir / "updates" / "update.lock"
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(UpdateUnavailable, match="another update"):
            update.apply(update_settings)
    assert install_root.current_version() == "0.1.0"
    assert update.apply(update_settings).installed == "0.2.0"
