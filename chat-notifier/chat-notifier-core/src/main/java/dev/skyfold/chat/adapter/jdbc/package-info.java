/**
 * A message store on any JDBC database: an embedded H2 file by default, PostgreSQL to
 * scale out.
 */
@NullMarked
package dev.skyfold.chat.adapter.jdbc;

import org.jspecify.annotations.NullMarked;
