"""Runs XSOAR's own `demisto-sdk validate` on a generated pack, offline.

demisto-sdk only runs inside what it takes for the content repository (an `origin` whose URL
contains `content`, with the content repository's public lists under Config/), and some of its
validators need docker, neo4j or GitHub. This script builds such a repository in a temporary
directory (the scaffold commit on `master`, the pack on a branch, `origin` fetched from itself),
writes the SDK's own `sdk_validation_config.toml` without those validators, and runs validate in
path mode (`-i`) and in git mode (`-g`). Usage:

    python sdk_validate.py <Packs/Name directory>

Exit status 0 when both runs report no error.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import demisto_sdk

HERE = os.path.dirname(os.path.abspath(__file__))
# The content repository's public lists: categories, tags and use cases here, the compliance
# policies beside the generator that declares them.
CONFIG_FILES = [os.path.join(HERE, "content-config", name) for name in
                ("approved_categories.json", "approved_tags.json", "approved_usecases.json")] + [
    os.path.join(HERE, "..", "..", "host-runner", "src", "xsoar", "compliant_policies.json")]
# Validators that start neo4j in docker or call Docker Hub / GitHub (demisto-sdk-offline notes).
NEEDS_A_NETWORK = {f"GR{n}" for n in range(100, 119)} | {
    "AG116", "IF117", "LO100", "PA124", "PA133", "PB131", "PB133", "RN106", "RN107", "SC109", "SC110",
    "DO103", "DO104", "DO105", "DO106",
}


def offline_config(path):
    source = os.path.join(os.path.dirname(demisto_sdk.__file__), "commands", "validate", "sdk_validation_config.toml")
    text = open(source).read()
    # Every code is a quoted string in a list: drop the lines (or list items) of the offline-impossible ones.
    pattern = re.compile(r'"(' + "|".join(sorted(NEEDS_A_NETWORK)) + r')",?')
    text = "\n".join(pattern.sub("", line) for line in text.splitlines())
    open(path, "w").write(text + "\n")


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def scaffold(root, pack):
    repo = os.path.join(root, "content")
    os.makedirs(os.path.join(repo, "Config"))
    os.makedirs(os.path.join(repo, "Tests"))
    for path in CONFIG_FILES:
        shutil.copy(path, os.path.join(repo, "Config", os.path.basename(path)))
    open(os.path.join(repo, "Tests", "conf.json"), "w").write(
        '{"tests": [], "skipped_tests": {}, "skipped_integrations": {}, "unmockable_integrations": {}}\n')
    git(repo, "init", "-q", "-b", "master")
    git(repo, "config", "user.email", "ci@example.com")
    git(repo, "config", "user.name", "ci")
    git(repo, "remote", "add", "origin", repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "scaffold")
    git(repo, "checkout", "-q", "-b", "new-pack")
    name = os.path.basename(pack.rstrip("/"))
    shutil.copytree(pack, os.path.join(repo, "Packs", name))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the pack")
    git(repo, "fetch", "-q", "origin")
    # A copy the SDK must refuse (a new pack below 1.0.0 without release notes: PA101), so that a
    # run that validated nothing cannot pass; left out of git, and removed before git mode.
    broken = os.path.join(repo, "Packs", "Broken" + name)
    shutil.copytree(pack, broken)
    metadata = os.path.join(broken, "pack_metadata.json")
    text = open(metadata).read()
    open(metadata, "w").write(re.sub(r'"currentVersion": "[^"]*"', '"currentVersion": "0.1.0"', text))
    return repo


def main():
    pack = os.path.abspath(sys.argv[1])
    name = os.path.basename(pack.rstrip("/"))
    root = tempfile.mkdtemp()
    repo = scaffold(root, pack)
    config = os.path.join(root, "validation.toml")
    offline_config(config)
    env = dict(os.environ, DEMISTO_SDK_IGNORE_CONTENT_WARNING="true")
    env.pop("DEMISTO_SDK_OFFLINE_ENV", None)
    def validate(*mode):
        run = subprocess.run(["demisto-sdk", "validate", *mode, "--config-path", config],
                             cwd=repo, env=env, capture_output=True, text=True)
        out = run.stdout + run.stderr
        codes = sorted(set(re.findall(r"\[([A-Z]{2}\d{3})\]", out)))
        print(f"demisto-sdk validate {' '.join(mode)}: exit {run.returncode}, codes {codes}")
        return run.returncode, codes, out

    status, codes, _ = validate("-i", f"Packs/Broken{name}")
    failed = status == 0 or "PA101" not in codes
    if failed:
        print("the deliberately broken copy was not refused with PA101: this run would check nothing")
    shutil.rmtree(os.path.join(repo, "Packs", f"Broken{name}"))
    for mode in (["-i", f"Packs/{name}"], ["-g", "--prev-ver", "master"]):
        status, codes, out = validate(*mode)
        if status != 0:
            print(out[-6000:])
            failed = True
    shutil.rmtree(root, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
