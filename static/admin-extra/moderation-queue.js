"use strict";
// Keyboard shortcuts for the comment moderation queue, for moderators who
// work in it all day. The help dialog in the page lists them. They only
// drive what the page offers anyway (the checkboxes, the action menu, the
// links), so without JavaScript everything still works by hand.
{
    const NOT_TYPING = new Set(["checkbox", "radio", "button", "submit", "reset"]);

    function isTyping(element) {
        if (element.isContentEditable) {
            return true;
        }
        switch (element.tagName) {
            case "TEXTAREA":
            case "SELECT":
                return true;
            case "INPUT":
                return !NOT_TYPING.has(element.type);
        }
        return false;
    }

    function start() {
        const table = document.getElementById("result_list");
        const help = document.getElementById("moderation-shortcuts");
        if (!table || !help) {
            return;
        }
        const form = document.getElementById("changelist-form");
        const actionMenu = form.querySelector("select[name=action]");
        const runButton = form.querySelector("button[name=index]");
        const rows = Array.from(table.tBodies[0].rows);
        let current = -1;

        function highlight(index) {
            if (!rows.length) {
                return;
            }
            if (current >= 0) {
                rows[current].classList.remove("moderation-current");
            }
            current = Math.max(0, Math.min(rows.length - 1, index));
            const row = rows[current];
            row.classList.add("moderation-current");
            row.tabIndex = -1;
            row.focus({preventScroll: true});
            row.scrollIntoView({block: "nearest"});
        }

        function checkbox(row) {
            return row.querySelector("input.action-select");
        }

        // Approve or remove the checked rows, or else the highlighted one, with
        // the same action menu and Run button a moderator would use by hand.
        function run(action) {
            const offered = actionMenu && Array.from(actionMenu.options).some(
                (option) => option.value === action,
            );
            if (!offered) {
                return;
            }
            if (!rows.some((row) => checkbox(row)?.checked)) {
                if (current < 0) {
                    return;
                }
                checkbox(rows[current]).click();
            }
            actionMenu.value = action;
            runButton.click();
        }

        table.tBodies[0].addEventListener("click", (event) => {
            const row = event.target.closest("tr");
            if (row && rows.includes(row) && rows.indexOf(row) !== current) {
                highlight(rows.indexOf(row));
            }
        });

        document.addEventListener("keydown", (event) => {
            if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
                return;
            }
            if (help.open) {
                // The dialog closes itself on Escape; "?" closes it too.
                if (event.key === "?") {
                    help.close();
                    event.preventDefault();
                }
                return;
            }
            if (isTyping(event.target)) {
                return;
            }
            switch (event.key) {
                case "j":
                case "ArrowDown":
                    highlight(current + 1);
                    break;
                case "k":
                case "ArrowUp":
                    highlight(current - 1);
                    break;
                case "x":
                    if (current >= 0 && checkbox(rows[current])) {
                        checkbox(rows[current]).click();
                    }
                    break;
                case "a":
                    run("approve");
                    break;
                case "r":
                    run("remove");
                    break;
                case "o":
                    if (current >= 0) {
                        rows[current].querySelector("th a")?.click();
                    }
                    break;
                case "?":
                    help.showModal();
                    break;
                default:
                    return;
            }
            event.preventDefault();
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}
