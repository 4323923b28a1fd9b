"use strict";
// Django's admin builds some controls by script, after the page loads, without an accessible
// name: the select2 boxes of autocomplete fields and the search box of filter_horizontal.
// This names them after their field's label (a screen reader would otherwise announce an
// unnamed combo box) each time the admin builds one, including in inline rows added later.
// Controls rendered by the server are labelled in the templates instead.
(function () {
    function labelFor(field) {
        return field.id ? document.querySelector(`label[for="${CSS.escape(field.id)}"]`) : null;
    }

    function labelText(label) {
        return label.textContent.trim().replace(/\s*:$/, "");
    }

    function nameAutocomplete(container) {
        // select2 puts its box right after the <select> it stands for.
        const select = container.previousElementSibling;
        if (!select || select.tagName !== "SELECT") {
            return;
        }
        const label = labelFor(select);
        if (!label) {
            return;
        }
        if (!label.id) {
            label.id = `${select.id}-label`;
        }
        const rendered = container.querySelector(".select2-selection__rendered");
        const single = container.querySelector(".select2-selection--single");
        if (single && rendered) {
            single.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`);
            rendered.setAttribute("aria-labelledby", label.id);
        }
        const search = container.querySelector(".select2-search__field");
        if (search) {
            search.setAttribute("aria-label", labelText(label));
        }
        // The "clear all" cross is mouse-only (the keyboard clears with Backspace) and select2
        // puts it inside the list of chosen values, where only list items belong.
        for (const clear of container.querySelectorAll(".select2-selection__clear")) {
            clear.setAttribute("aria-hidden", "true");
        }
    }

    function nameFilterIcons(root) {
        // filter_horizontal's magnifier carries its explanation as aria-label, which a <span>
        // without a role may not have: it is an image of the explanation.
        for (const icon of root.querySelectorAll(".search-label-icon:not([role])")) {
            icon.setAttribute("role", "img");
        }
    }

    function nameAll(root) {
        for (const container of root.querySelectorAll(".select2-container")) {
            nameAutocomplete(container);
        }
        nameFilterIcons(root);
    }

    document.addEventListener("DOMContentLoaded", () => {
        nameAll(document);
        // select2 and the filters are built after this (jQuery runs its ready handlers later),
        // and select2 rebuilds the chosen values on every change.
        new MutationObserver((mutations) => {
            const roots = new Set();
            for (const mutation of mutations) {
                const target = mutation.target.closest?.(".select2-container") ?? mutation.target;
                roots.add(target.parentElement ?? target);
            }
            for (const root of roots) {
                nameAll(root);
            }
        }).observe(document.body, {childList: true, subtree: true});
    });
})();
