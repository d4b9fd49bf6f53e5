package org.slmworkbench.ui;

/** A panel's controller: gets the shared session once the whole window is loaded. */
interface Panel {
    void init(WorkbenchModel workbench);
}
