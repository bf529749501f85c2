// The shims are declarations only (see include/_LeibnizShims.h); SwiftPM needs
// one source file for a C target.
#include "_LeibnizShims.h"
