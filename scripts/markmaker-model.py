#!/usr/bin/env python3
"""A re-implementation of container.training's markmaker.py, for the benchmarks only.

It does what that builder does, step for step, so that its time on a course can be compared with
labdeck's: one process per manifest (as its build.sh runs it), PyYAML's pure-Python safe_load,
the git look-ups it makes at start (repository URL, branch, prefix, commit, status), the manifest
overrides from OVERRIDE_<key> variables, the recursive walk of `content` with @@-macros and
@@INCLUDE[...] files read from the parent folder, a copy of every expanded file under fragments/,
a `.debug[...]` footer per slide, the table of contents, an interstitial and a title slide
inserted before each chapter (a string search and copy each time), and the page template
(workshop.html). The Markdown is rendered by remark.js in the browser, not here.

Usage: markmaker-model.py MANIFEST.yml > MANIFEST.yml.html  (run in the folder of the manifest).
"""
import logging
import os
import re
import string
import subprocess
import sys

import yaml

logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))

ONLINE_TREE = "https://github.com/jpetazzo/container.training/tree/main"


def git(*args):
    return subprocess.check_output(["git", *args], stderr=subprocess.DEVNULL).decode("ascii")


def repository_links():
    """URL template for the per-slide source links, commit and dirty files, as markmaker finds them."""
    try:
        repo = os.environ.get("REPOSITORY_URL") or git("config", "remote.origin.url")
        repo = repo.strip().replace("git@github.com:", "https://github.com/")
        branch = os.environ.get("BRANCH") or git("rev-parse", "--abbrev-ref", "HEAD").strip()
        prefix = git("rev-parse", "--show-prefix").strip().strip("/")
        template = repo + "/tree/" + branch + "/" + prefix + "/{}"
    except Exception:
        logging.exception("no repository URL: local links instead")
        template = "file://" + os.environ.get("PWD", os.getcwd()) + "/{}"
    try:
        commit = git("rev-parse", "--short", "HEAD")
    except Exception:
        logging.exception("no HEAD commit")
        commit = "??????"
    try:
        dirty = git("status", "--porcelain")
    except Exception:
        logging.exception("no git status")
        dirty = "?? git status --porcelain failed"
    return template, commit, dirty


def anchor_of(title):
    kept = "".join(c for c in title.lower().replace(" ", "-") if c in string.ascii_letters + "-")
    return "toc-" + kept


def flat(titles):
    for t in titles:
        if isinstance(t, list):
            yield from flat(t)
        else:
            yield t


class Builder:
    def __init__(self, manifest, name):
        self.manifest = manifest
        self.name = name
        self.template, self.commit, self.dirty = repository_links()
        with open("interstitials.txt") as f:
            self.pictures = [line.strip() for line in f if line.strip()]
        self.picture = 0
        self.part_of = {}
        self.titles = []

    def link(self, path):
        return "[{}]({})".format(path, self.template.format(path)) if os.path.isfile(path) else path

    def macros(self, text):
        m = self.manifest
        for key in ("chat", "gitrepo", "slides", "zip", "html"):
            text = text.replace("@@" + key.upper() + "@@", m[key])
        text = text.replace("@@TITLE@@", m["title"].replace("\n", "<br/>"))
        for found in re.findall(r"@@LINK\[[^]]*\]", text):
            path = found[7:-1]
            text = text.replace(found, "[{}]({}/{})".format(path, ONLINE_TREE, path))
        for found in re.findall(r"@@INCLUDE\[[^]]*\]", text):
            with open(os.path.join("..", found[10:-1])) as f:
                text = text.replace(found, f.read())
        return text

    def content(self, node, source):
        """(Markdown, titles) of a content node: inline Markdown, a file name, or a list."""
        if isinstance(node, str):
            if "\n" in node:
                footer = ".debug[{}]".format(self.link(source))
                titles = re.findall("^# (.*)", node, re.MULTILINE)
                return node.replace("\n---\n", "\n" + footer + "\n---\n") + "\n" + footer, titles
            if os.path.isfile(node):
                with open(node) as f:
                    text = self.macros(f.read())
                copy = os.path.join("fragments", node)
                os.makedirs(os.path.dirname(copy), exist_ok=True)
                with open(copy, "w") as f:
                    f.write(text)
                return self.content(text, node)
            logging.warning("no such file: {}".format(node))
        if isinstance(node, list):
            parts = [self.content(child, source) for child in node]
            return "\n---\n".join(p[0] for p in parts), [p[1] for p in parts if p[1]]
        logging.warning("invalid content: {}".format(node))
        return "```\nInvalid content: {}\n```\n".format(node), []

    def toc(self, tree):
        parts = [list(flat(entry)) for entry in tree if isinstance(entry, list)]
        slides = []
        for number, titles in enumerate(parts, 1):
            slide = "name: toc-part-{}\n\n".format(number)
            slide += "## Table of contents\n\n" if len(parts) == 1 else "## Part {}\n\n".format(number)
            for title in titles:
                self.part_of[title] = number
                self.titles.append(title)
                slide += "- [{}](#{})\n".format(title, anchor_of(title))
                if len(titles) < 10:
                    slide += "\n"
            slides.append(slide + "\n.debug[(auto-generated TOC)]")
        return "\n---\n".join(slides)

    def title_slide(self, markdown, title):
        at = markdown.rfind("\n---\n", 0, markdown.find("\n# {}\n".format(title)) + 1)
        around = [""] + self.titles + [""]
        i = around.index(title)
        picture = self.pictures[self.picture % len(self.pictures)]
        self.picture += 1
        inserted = (
            "\n---\n\nclass: pic\n\n.interstitial[![Image separating from the next part]({})]\n\n"
            "---\n\nname: {}\nclass: title\n\n {}\n\n.nav[\n[Previous part](#{})\n|\n"
            "[Back to table of contents](#toc-part-{})\n|\n[Next part](#{})\n]\n\n"
            ".debug[(automatically generated title slide)]\n"
        ).format(picture, anchor_of(title), title, anchor_of(around[i - 1]), self.part_of[title], anchor_of(around[i + 1]))
        return markdown[:at] + inserted + markdown[at:]

    def page(self):
        m = self.manifest
        markdown, titles = self.content(m["content"], self.name)
        markdown = markdown.replace("@@TOC@@", self.toc(titles))
        for title in flat(titles):
            markdown = self.title_slide(markdown, title)
        exclude = m.get("exclude", [])
        if not exclude:
            logging.warning("'exclude' is empty.")
        markdown = markdown.replace(
            ".debug[", ".debug[\n```\n{}\n```\n\nThese slides have been built from commit: {}\n\n".format(self.dirty, self.commit), 1)
        with open("workshop.html") as f:
            html = f.read()
        html = html.replace("@@TITLE@@", m["title"].replace("\n", " "))
        html = html.replace("@@MARKDOWN@@", markdown)
        html = html.replace("@@EXCLUDE@@", ",".join('"{}"'.format(c) for c in exclude))
        return html.replace("@@SLIDENUMBERPREFIX@@", m.get("slidenumberprefix", ""))


def main(argv):
    if len(argv) != 2:
        logging.error("usage: markmaker-model.py MANIFEST.yml")
        return 2
    name = argv[1]
    with (sys.stdin if name == "-" else open(name)) as f:
        manifest = yaml.safe_load(f)
    for key in list(manifest):
        if os.environ.get("OVERRIDE_" + key):
            manifest[key] = os.environ["OVERRIDE_" + key]
    for key in ("chat", "gitrepo", "slides", "title"):
        manifest.setdefault(key, "")
    manifest.setdefault("zip", manifest["slides"] + ("slides.zip" if manifest["slides"].endswith("/") else "/slides.zip"))
    manifest.setdefault("html", name + ".html")
    logging.info("Processing {}...".format(name))
    sys.stdout.write(Builder(manifest, name).page())
    logging.info("Processed {}.".format(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
