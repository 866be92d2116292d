/**
 * The image resizer on Azure Functions: the application that the function app starts.
 */
@NullMarked
package dev.skyfold.imageresizer.azure;

import org.jspecify.annotations.NullMarked;
