/**
 * The resizer's object store in Azure Blob Storage, through the Azure SDK.
 */
@NullMarked
package dev.skyfold.imageresizer.azure.blob;

import org.jspecify.annotations.NullMarked;
